//! Multiplayer game telemetry: players joining, scoring and leaving matches.

use super::generator::{Draws, Generated, Moment};
use rand::Rng;
use std::fmt::Write;

pub const PLAYERS: u64 = 5_000;
const PLAYERS_PER_MATCH: u64 = 10;

/// Event types with their weights out of 100: fights dominate, joins and leaves are rare.
const EVENTS: [(&str, u32); 6] = [("kill", 30), ("score", 25), ("move", 25), ("death", 10), ("join", 5), ("leave", 5)];

/// Writes a game event into `json`. Key: the player id; alternate key: the match id. `player`
/// is the ranked player when a key strategy chose one, so the content agrees with its key.
pub fn generate<W: Write>(rng: &mut Draws, index: u64, at: &Moment, player: Option<u64>, json: &mut W) -> Generated {
    let player = player.map_or_else(|| rng.random_range(0..PLAYERS), |p| p % PLAYERS);
    // Matches turn over every ten minutes of virtual time.
    let match_id = format!("m{:06}-{:03}", at.ms / 600_000 % 1_000_000, player / PLAYERS_PER_MATCH);
    let mut roll = rng.random_range(0..100u32);
    let event = EVENTS.iter().find(|(_, w)| if roll < *w { true } else { roll -= w; false }).map_or("move", |(e, _)| e);
    // Tenths of a unit on a 1,000 x 1,000 map.
    let (x, y) = (rng.random_range(0..10_000u32), rng.random_range(0..10_000u32));
    let points = if event == "score" { rng.random_range(1..=10u32) } else { 0 };
    let player_id = format!("p{player:05}");
    // Written directly rather than through serde_json::Value: this runs for every record.
    let _ = write!(
        json,
        r#"{{"event_id":{index},"player":"{player_id}","match":"{match_id}","type":"{event}","points":{points},"position":{{"x":{}.{},"y":{}.{}}},"timestamp":"{}"}}"#,
        x / 10,
        x % 10,
        y / 10,
        y % 10,
        at.iso
    );
    Generated { natural_key: player_id, alternate_key: match_id }
}
