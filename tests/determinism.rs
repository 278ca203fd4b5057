#![cfg(not(target_arch = "wasm32"))]
//! Same seed and same inputs give the same world, byte for byte; another seed gives another.

use kinesim::engine::sim::Sim;

fn run(seed: u64, steps: &[u64]) -> Sim {
    let mut sim = Sim::new(seed);
    for &ms in steps {
        sim.advance(ms);
    }
    sim
}

#[test]
fn same_seed_same_inputs_same_state_hash() {
    let steps = [0, 1, 16, 1_000, 60_000, 3_600_000];
    let (a, b) = (run(2026, &steps), run(2026, &steps));
    assert_eq!(a.state_hash(), b.state_hash());
    assert_eq!(a.now_ms(), b.now_ms());
}

#[test]
fn different_seeds_differ() {
    let steps = [1_000];
    assert_ne!(run(1, &steps).state_hash(), run(2, &steps).state_hash());
}

#[test]
fn different_inputs_differ() {
    assert_ne!(run(5, &[1_000]).state_hash(), run(5, &[2_000]).state_hash());
}

#[test]
fn split_advances_equal_one_long_advance() {
    assert_eq!(
        run(7, &[500, 500]).state_hash(),
        run(7, &[1_000]).state_hash()
    );
}
