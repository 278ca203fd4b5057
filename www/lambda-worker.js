// Runs one user-written Lambda function in a dedicated Web Worker, away from the page, so a
// function that loops forever can be stopped with `terminate()` without freezing anything.
// Message in: { source, event } where `source` is a JavaScript function expression such as
// `(event) => ({ records: event.records.map(...) })`. Message out: { ok: "<response JSON>" }
// or { error: "<what the function threw>" }.
self.onmessage = (message) => {
  const { source, event } = message.data;
  try {
    const handler = (0, eval)(`(${source})`);
    if (typeof handler !== 'function') {
      throw new TypeError('the Lambda source must be a function expression, e.g. (event) => ({ records: [] })');
    }
    const answer = handler(event);
    // A missing or non-JSON answer is still an answer: Firehose's checks reject it.
    self.postMessage({ ok: JSON.stringify(answer) ?? '' });
  } catch (e) {
    self.postMessage({ error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
};
