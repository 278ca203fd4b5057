//! The whole simulated world: clock, RNG and timed work, stepped by the caller.

use super::analytics::stream_ref::StreamRef;
use super::analytics::schema::{discover, InputSchema};
use super::analytics::{AnalyticsError, AnalyticsService, AnalyticsTask};
use super::api::{dispatch::dispatch, firehose as firehose_api, video as video_api, ApiResponse};
use super::clock::{VirtualClock, DEFAULT_START_MS, PLAYBACK_SPEEDS};
use super::config_json::ConfigError;
use super::consumers::Consumers;
use super::faults::effects::{Observed, Targets};
use super::faults::spec::{FaultKind, FaultSpec, FaultTarget};
use super::faults::{FaultTask, FaultView, Faults};
use super::producers::{Producers, TICK_MS as PRODUCER_TICK_MS};
use super::firehose::{FirehoseService, FirehoseTask, Services};
use super::glue::GlueCatalog;
use super::iam::Iam;
use super::lambda::{LambdaError, LambdaFailure, LambdaService, PendingInvocation};
use super::logs::Logs;
use super::rng::SimRng;
use super::s3::S3;
use super::scheduler::Scheduler;
use super::streams::fanout::SubscribeToShardEvent;
use super::streams::{KinesisConfig, KinesisService, KinesisTask};
use super::video::error::VideoError;
use super::video::{FragmentAck, VideoService};
use md5::{Digest, Md5};

mod snapshot;
pub use snapshot::SnapshotError;
use serde::{Deserialize, Serialize};

/// Timed work the world has promised itself. Each service adds the variants it needs
/// (a stream turning ACTIVE, a buffer flush, ...); the world runs them in due order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Task {
    Kinesis(KinesisTask),
    /// A producer's next batch of records; it reschedules itself until removed.
    ProducerTick { id: String },
    /// A consumer's next poll; it reschedules itself every poll interval until removed.
    ConsumerTick { id: String, interval_ms: u64 },
    Firehose(FirehoseTask),
    Analytics(AnalyticsTask),
    /// An injected fault's start or end.
    Fault(FaultTask),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Sim {
    /// Where the world's time began, which a scenario exported from it starts at again.
    start_ms: u64,
    /// Simulated seconds per real second the console plays the world at.
    speed: u32,
    clock: VirtualClock,
    rng: SimRng,
    scheduler: Scheduler<Task>,
    /// Kinesis Data Streams of the simulated account and Region.
    pub kinesis: KinesisService,
    /// Kinesis Video Streams of the same account and Region.
    pub video: VideoService,
    /// Built-in producers writing into the streams.
    pub producers: Producers,
    /// Built-in consumers reading the streams.
    pub consumers: Consumers,
    /// Firehose delivery streams, and the services they deliver through.
    pub firehose: FirehoseService,
    pub s3: S3,
    pub glue: GlueCatalog,
    pub iam: Iam,
    pub lambda: LambdaService,
    pub logs: Logs,
    /// Kinesis Data Analytics SQL applications.
    pub analytics: AnalyticsService,
    /// Injected faults, scheduled, active and ended.
    pub faults: Faults,
}

impl Sim {
    /// A new world starting at 2026-01-01T00:00:00Z.
    pub fn new(seed: u64) -> Self {
        Self::starting_at(seed, DEFAULT_START_MS)
    }

    pub fn starting_at(seed: u64, start_ms: u64) -> Self {
        Self::with_kinesis(seed, start_ms, KinesisConfig::default())
    }

    /// A world whose Kinesis account, Region and delays are `config`.
    pub fn with_kinesis(seed: u64, start_ms: u64, config: KinesisConfig) -> Self {
        Self {
            start_ms,
            speed: 1,
            clock: VirtualClock::starting_at(start_ms),
            rng: SimRng::from_seed(seed),
            scheduler: Scheduler::default(),
            video: VideoService::new(&config.account_id, &config.region),
            firehose: FirehoseService::new(&config.account_id, &config.region),
            s3: S3::default(),
            glue: GlueCatalog::default(),
            iam: Iam::new(&config.account_id),
            lambda: LambdaService::new(&config.account_id, &config.region),
            logs: Logs::default(),
            analytics: AnalyticsService::default(),
            kinesis: KinesisService::new(config),
            producers: Producers::default(),
            consumers: Consumers::default(),
            faults: Faults::default(),
        }
    }

    /// Runs one AWS API call at the current virtual time and returns what AWS would answer:
    /// `Kinesis_20131202.<Action>` and `Firehose_20150804.<Action>` (JSON 1.1) or
    /// `KinesisVideo_20170930.<Operation>` (Kinesis Video's REST-JSON operations). Any bytes
    /// are accepted; it never panics.
    pub fn dispatch(&mut self, target: &str, body: &[u8]) -> ApiResponse {
        let now_ms = self.clock.now_ms();
        if target.starts_with(video_api::TARGET_PREFIX) {
            return video_api::dispatch(&mut self.video, now_ms, &mut self.rng, target, body);
        }
        if target.starts_with(firehose_api::TARGET_PREFIX) {
            let (firehose, mut services) = self.firehose_and_services();
            let response = firehose_api::dispatch(firehose, now_ms, &mut services, target, body);
            self.queue_timers();
            return response;
        }
        let response = dispatch(&mut self.kinesis, now_ms, target, body);
        self.queue_timers();
        self.reapply_storms();
        response
    }

    /// PutMedia for one fragment of media the host recorded, arriving now.
    pub fn put_media(
        &mut self,
        stream: &str,
        producer_ms: u64,
        duration_ms: u64,
        media: Vec<u8>,
    ) -> Result<FragmentAck, VideoError> {
        let now_ms = self.clock.now_ms();
        self.video.put_fragment(stream, producer_ms, duration_ms, media, now_ms)
    }

    /// Events pushed so far to an enhanced fan-out subscription (drained by this call).
    pub fn subscription_events(
        &mut self,
        consumer_arn: &str,
        shard_id: &str,
    ) -> Vec<SubscribeToShardEvent> {
        self.kinesis
            .take_subscription_events(consumer_arn, shard_id)
    }

    /// Adds a producer (configuration JSON documented in the README) that starts writing at
    /// the next tick; returns its id. Its records derive from a seed drawn from the world's RNG.
    pub fn add_producer(&mut self, config_json: &str) -> Result<String, ConfigError> {
        let seed = self.rng.next_u64();
        let id = self.producers.add(config_json, seed, self.clock.now_ms(), &mut self.kinesis.sources)?;
        self.scheduler.schedule(self.clock.now_ms() + PRODUCER_TICK_MS, Task::ProducerTick { id: id.clone() });
        Ok(id)
    }

    /// Starts or stops a producer's generation (a stopped KPL or agent still sends what it
    /// buffered). False if there is no such producer.
    pub fn set_producer_running(&mut self, id: &str, running: bool) -> bool {
        self.producers.get_mut(id).map(|p| p.config.running = running).is_some()
    }

    /// Removes a producer; whatever it still buffered is dropped. False if there is none.
    pub fn remove_producer(&mut self, id: &str) -> bool {
        self.producers.remove(id)
    }

    /// Adds a consumer (configuration JSON documented in the README) that polls from the
    /// next tick on; returns its id.
    pub fn add_consumer(&mut self, config_json: &str) -> Result<String, ConfigError> {
        let (id, interval_ms) = self.consumers.add(config_json)?;
        self.scheduler.schedule(self.clock.now_ms() + 1, Task::ConsumerTick { id: id.clone(), interval_ms });
        Ok(id)
    }

    pub fn remove_consumer(&mut self, id: &str) -> bool {
        self.consumers.remove(id)
    }

    /// What a consumer has processed, as JSON (see the README); `None` for an unknown id.
    pub fn consumer_progress(&mut self, id: &str) -> Option<String> {
        let now = self.clock.now_ms();
        Some(self.consumers.get_mut(id)?.progress_json(now, &self.kinesis))
    }

    /// Starts an SQL application: it reads its source from the next second on.
    pub fn start_application(&mut self, name: &str) -> Result<(), AnalyticsError> {
        let (due, task) = self.analytics.start(name, self.clock.now_ms(), &self.s3, &mut self.kinesis, &mut self.firehose)?;
        self.scheduler.schedule(due, Task::Analytics(task));
        Ok(())
    }

    /// Stops an SQL application (see [`AnalyticsService::stop`]).
    pub fn stop_application(&mut self, name: &str) -> Result<(), AnalyticsError> {
        self.analytics.stop(name, &mut self.firehose)
    }

    /// Creates an SQL application on `source` with the schema discovered from its records
    /// (see [`StreamRef::sample`]), as the console's create flow does.
    pub fn create_application_discovering(&mut self, name: &str, source: StreamRef) -> Result<(), AnalyticsError> {
        let schema = self.discover_schema(&source)?;
        self.analytics.create_application(name, source, schema, &self.kinesis, &self.firehose)
    }

    /// Replaces an application's input schema with one discovered from its source now.
    pub fn rediscover_schema(&mut self, name: &str) -> Result<(), AnalyticsError> {
        let source = self.analytics.get_mut(name)?.input.source.clone();
        self.analytics.get_mut(name)?.schema = self.discover_schema(&source)?;
        Ok(())
    }

    fn discover_schema(&mut self, source: &StreamRef) -> Result<InputSchema, AnalyticsError> {
        let samples = source.sample(self.clock.now_ms(), &mut self.kinesis, &self.firehose)?;
        let refs: Vec<&[u8]> = samples.iter().map(Vec::as_slice).collect();
        Ok(discover(&refs))
    }

    /// Injects a fault (JSON documented in the README) against an existing target; returns its
    /// id. It starts now or `startAfterSeconds` from now, and ends `durationSeconds` later.
    pub fn inject_fault(&mut self, json: &str) -> Result<String, ConfigError> {
        let spec = FaultSpec::from_json(json)?;
        self.fault_observed().check(&spec)?;
        let now = self.clock.now_ms();
        let (id, tasks) = self.faults.add(spec, now);
        for (due, task) in tasks {
            // One that starts now takes effect before the call returns.
            if due == now && task.start {
                self.run(Task::Fault(task));
            } else {
                self.scheduler.schedule(due, Task::Fault(task));
            }
        }
        Ok(id)
    }

    /// Ends a fault now if it is active, and removes it from the list. False if unknown.
    pub fn clear_fault(&mut self, id: &str) -> bool {
        let now = self.clock.now_ms();
        let mut faults = std::mem::take(&mut self.faults);
        let cleared = faults.clear(now, id, &mut self.fault_targets());
        self.faults = faults;
        cleared
    }

    /// Every fault not cleared, with its state, remaining time and effects so far.
    pub fn faults(&self) -> Vec<FaultView> {
        self.faults.list(self.clock.now_ms(), &self.fault_observed())
    }

    /// After a Kinesis action or task: shards a reshard opened during a storm join it.
    fn reapply_storms(&mut self) {
        let now = self.clock.now_ms();
        let faults = std::mem::take(&mut self.faults);
        faults.reapply_storms(now, &mut self.fault_targets());
        self.faults = faults;
    }

    /// Every target that can suffer this kind of fault now, for the console to offer.
    pub fn fault_targets_for(&self, kind: FaultKind) -> Vec<FaultTarget> {
        self.fault_observed().targets(kind)
    }

    fn fault_observed(&self) -> Observed<'_> {
        Observed { kinesis: &self.kinesis, consumers: &self.consumers, lambda: &self.lambda, s3: &self.s3, firehose: &self.firehose }
    }

    fn fault_targets(&mut self) -> Targets<'_> {
        Targets { kinesis: &mut self.kinesis, consumers: &mut self.consumers, lambda: &mut self.lambda, s3: &mut self.s3, firehose: &self.firehose }
    }

    /// Firehose and, split off from it, everything a delivery stream acts on.
    fn firehose_and_services(&mut self) -> (&mut FirehoseService, Services<'_>) {
        let services = Services {
            account_id: self.firehose.account_id.clone(),
            region: self.firehose.region.clone(),
            s3: &mut self.s3,
            iam: &self.iam,
            logs: &mut self.logs,
            lambda: &mut self.lambda,
            glue: &self.glue,
            kinesis: &mut self.kinesis,
            rng: &mut self.rng,
        };
        (&mut self.firehose, services)
    }

    fn queue_timers(&mut self) {
        for (due, task) in self.kinesis.take_timers() {
            self.scheduler.schedule(due, Task::Kinesis(task));
        }
        for (due, task) in self.firehose.take_timers() {
            self.scheduler.schedule(due, Task::Firehose(task));
        }
    }

    /// Invocations of host-run Lambda functions waiting for an answer.
    pub fn pending_invocations(&self) -> Vec<PendingInvocation> {
        self.lambda.pending().cloned().collect()
    }

    /// The host's answer to a pending invocation: the response JSON, or why there is none.
    /// It takes effect at the invocation's fixed virtual duration, or now if that has passed.
    pub fn complete_invocation(&mut self, id: u64, result: Result<String, LambdaFailure>) -> Result<(), LambdaError> {
        self.lambda.take_pending(id)?;
        let now_ms = self.clock.now_ms();
        self.firehose.complete_invocation(id, result, now_ms);
        self.queue_timers();
        Ok(())
    }

    pub fn now_ms(&self) -> u64 {
        self.clock.now_ms()
    }

    pub fn start_ms(&self) -> u64 {
        self.start_ms
    }

    pub fn speed(&self) -> u32 {
        self.speed
    }

    /// Sets the console's playback speed; false (and no change) unless it is one of
    /// [`PLAYBACK_SPEEDS`].
    pub fn set_speed(&mut self, speed: u32) -> bool {
        let allowed = PLAYBACK_SPEEDS.contains(&speed);
        if allowed {
            self.speed = speed;
        }
        allowed
    }

    pub fn seed(&self) -> u64 {
        self.rng.seed()
    }

    /// Runs the world for `ms` of virtual time: every task due in that span runs at its own
    /// due time, in order, then the clock rests at the end of the span. A delivery stream whose
    /// host-run function has not answered waits (see `firehose::delivery`); the rest runs on.
    pub fn advance(&mut self, ms: u64) {
        let until = self.clock.now_ms().saturating_add(ms);
        self.run_until(until, false);
    }

    /// Like [`Sim::advance`] up to the instant `until_ms`, but stops right after a task that
    /// left a new host-run invocation waiting, with the clock at that task's time, so the host
    /// can answer at the same virtual instant. Returns true when it stopped early.
    pub fn advance_until_invocation(&mut self, until_ms: u64) -> bool {
        self.run_until(until_ms, true)
    }

    fn run_until(&mut self, until: u64, stop_on_invocation: bool) -> bool {
        while let Some((due, task)) = self.scheduler.pop_due(until) {
            self.clock.set(due);
            // Pending invocations are only counted when the caller wants to stop at a new one:
            // this loop runs every producer and consumer tick.
            let waiting = stop_on_invocation.then(|| self.lambda.pending().count());
            self.run(task);
            if waiting.is_some_and(|w| self.lambda.pending().count() > w) {
                return true;
            }
        }
        self.clock.set(until);
        self.video.expire(until);
        false
    }

    fn run(&mut self, task: Task) {
        match task {
            Task::Kinesis(t) => {
                self.kinesis.run_task(self.clock.now_ms(), t);
                self.queue_timers();
                self.reapply_storms();
            }
            Task::Firehose(t) => {
                let now_ms = self.clock.now_ms();
                let (firehose, mut services) = self.firehose_and_services();
                firehose.run_task(now_ms, t, &mut services);
                self.queue_timers();
            }
            Task::Analytics(t) => {
                let now = self.clock.now_ms();
                // Taken out for the tick, so Firehose and its services can be lent alongside.
                let mut analytics = std::mem::take(&mut self.analytics);
                let (firehose, mut services) = self.firehose_and_services();
                let next = analytics.run_task(now, t, firehose, &mut services);
                self.analytics = analytics;
                if let Some((due, next)) = next {
                    self.scheduler.schedule(due, Task::Analytics(next));
                }
                self.queue_timers();
            }
            Task::ProducerTick { id } => {
                let now = self.clock.now_ms();
                let Some(producer) = self.producers.get_mut(&id) else { return };
                producer.tick(now, &mut self.kinesis);
                self.queue_timers();
                self.scheduler.schedule(now + PRODUCER_TICK_MS, Task::ProducerTick { id });
            }
            Task::Fault(t) => {
                let now = self.clock.now_ms();
                let mut faults = std::mem::take(&mut self.faults);
                faults.run_task(now, t, &mut self.fault_targets());
                self.faults = faults;
            }
            Task::ConsumerTick { id, interval_ms } => {
                let now = self.clock.now_ms();
                let Some(consumer) = self.consumers.get_mut(&id) else { return };
                consumer.tick(now, &mut self.kinesis);
                self.queue_timers();
                self.scheduler.schedule(now + interval_ms, Task::ConsumerTick { id, interval_ms });
            }
        }
    }

    /// MD5 (hex) of the world's canonical JSON form. Two worlds with equal hashes are in the
    /// same state; the determinism tests compare these.
    pub fn state_hash(&self) -> String {
        // Serialising plain data to a Vec cannot fail; the fallback keeps this panic-free.
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        hex(&Md5::digest(&bytes))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_moves_the_clock() {
        let mut sim = Sim::new(1);
        sim.advance(1_500);
        assert_eq!(sim.now_ms(), DEFAULT_START_MS + 1_500);
    }

    #[test]
    fn advance_saturates_instead_of_overflowing() {
        let mut sim = Sim::starting_at(1, u64::MAX - 5);
        sim.advance(100);
        assert_eq!(sim.now_ms(), u64::MAX);
    }

    #[test]
    fn state_hash_is_32_hex_digits() {
        let h = Sim::new(9).state_hash();
        assert_eq!(h.len(), 32);
        assert!(h.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
