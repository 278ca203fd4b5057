//! Multiplayer game telemetry: players joining, scoring and leaving matches.

use super::generator::{Draws, Generated, Json};
use super::keys::PartitionKey;
use rand::Rng;

pub const PLAYERS: u64 = 5_000;
const PLAYERS_PER_MATCH: u64 = 10;

/// Event types with their weights out of 100: fights dominate, joins and leaves are rare.
const EVENTS: [(&str, u32); 6] = [("kill", 30), ("score", 25), ("move", 25), ("death", 10), ("join", 5), ("leave", 5)];

/// Writes a game event, created at `ms`, into `json`. Key: the player id; alternate key: the
/// match id. `player` is the ranked player when a key strategy chose one, so the content agrees
/// with its key.
pub fn generate<J: Json>(rng: &mut Draws, index: u64, ms: u64, player: Option<u64>, json: &mut J) -> Generated {
    let player = player.map_or_else(|| rng.random_range(0..PLAYERS), |p| p % PLAYERS);
    // Matches turn over every ten minutes of virtual time.
    let match_id = PartitionKey::Match { window: ms / 600_000 % 1_000_000, number: player / PLAYERS_PER_MATCH };
    let mut roll = rng.random_range(0..100u32);
    let event = EVENTS.iter().find(|(_, w)| if roll < *w { true } else { roll -= w; false }).map_or("move", |(e, _)| e);
    // Tenths of a unit on a 1,000 x 1,000 map.
    let (x, y) = (u64::from(rng.random_range(0..10_000u32)), u64::from(rng.random_range(0..10_000u32)));
    let points = if event == "score" { rng.random_range(1..=10u32) } else { 0 };
    let player_id = PartitionKey::Player(player);
    json.text(r#"{"event_id":"#).number(index, 0).text(r#","player":""#).key(&player_id).text(r#"","match":""#).key(&match_id);
    json.text(r#"","type":""#).text(event).text(r#"","points":"#).number(u64::from(points), 0);
    json.text(r#","position":{"x":"#).number(x / 10, 0).text(".").number(x % 10, 0);
    json.text(r#","y":"#).number(y / 10, 0).text(".").number(y % 10, 0);
    json.text(r#"},"timestamp":""#).timestamp().text(r#""}"#);
    Generated { natural_key: player_id, alternate_key: match_id }
}
