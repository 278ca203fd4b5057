// A request handler for the AWS SDK for JavaScript v3 that hands each request's target and
// body to `Simulator.dispatch` instead of the network, so the SDK's own serialisers,
// deserialisers and error classes check Kinesim's wire format.
export function simulatorRequestHandler(sim) {
  return {
    async handle(request) {
      const target = request.headers['x-amz-target'];
      const raw = request.body ?? '';
      const { status, body } = sim.dispatch(target, typeof raw === 'string' ? raw : new TextDecoder().decode(raw));
      return {
        response: {
          statusCode: status,
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          body: new TextEncoder().encode(body),
        },
      };
    },
  };
}
