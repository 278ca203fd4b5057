//! Autosave: the world's snapshot in `localStorage`, written at most every few seconds of real
//! time and when the page is hidden, read back when the page opens. A failure is returned to
//! be shown, never swallowed: a student must know a reload would lose their world.

use crate::engine::scenario::link::{pack, unpack, Compression};
use crate::engine::sim::Sim;
use wasm_bindgen::JsCast;

/// The snapshot, deflated and in base64url (JSON state packs several times smaller).
const KEY: &str = "kinesim.autosave";
/// Lambda sources the user allowed to run, as JSON `[[name, code], ...]`: code that came
/// from a link and was refused must not run just because it was autosaved.
const APPROVED_KEY: &str = "kinesim.autosave.approved";
/// Real time between autosaves while the world runs.
pub const INTERVAL_MS: f64 = 5_000.0;
/// Real time between attempts after one failed.
pub const RETRY_AFTER_FAILURE_MS: f64 = 60_000.0;
/// `localStorage` keeps about 5 MB per site in Chromium and Firefox (counted in UTF-16 code
/// units); larger packed snapshots are not attempted, and the console says why
/// (docs/scenarios.md).
pub const MAX_PACKED_BYTES: usize = 4_500_000;
/// A packed save inflating past this is refused as damaged.
const MAX_SNAPSHOT_BYTES: u64 = 512 * 1024 * 1024;

fn storage() -> Result<web_sys::Storage, String> {
    web_sys::window()
        .ok_or("no window")?
        .local_storage()
        .map_err(|e| js_text(&e))?
        .ok_or_else(|| "this browser offers no localStorage here".to_string())
}

fn js_text(e: &wasm_bindgen::JsValue) -> String {
    match e.dyn_ref::<js_sys::Error>() {
        Some(err) => format!("{}: {}", String::from(err.name()), String::from(err.message())),
        None => format!("{e:?}"),
    }
}

/// Saves the world; returns the saved state hash, or why it could not be saved.
pub fn save(sim: &Sim) -> Result<String, String> {
    let text = sim.snapshot();
    let packed = pack(&text, Compression::fast());
    if packed.len() > MAX_PACKED_BYTES {
        return Err(format!("the world's snapshot packs to {} bytes; browser storage keeps at most {MAX_PACKED_BYTES}", packed.len()));
    }
    storage()?.set_item(KEY, &packed).map_err(|e| js_text(&e))?;
    // The envelope starts with its hash: `{"kinesimSnapshot":3,"stateHash":"<32 hex>"`.
    Ok(text.split("\"stateHash\":\"").nth(1).and_then(|rest| rest.get(..32)).unwrap_or_default().to_string())
}

/// The autosaved world, if any; an unreadable save is reported.
pub fn load() -> Option<Result<Sim, String>> {
    let packed = storage().ok()?.get_item(KEY).ok()??;
    let text = match unpack(&packed, MAX_SNAPSHOT_BYTES) {
        Ok(text) => text,
        Err(why) => return Some(Err(format!("The autosave is damaged: {why}"))),
    };
    Some(Sim::restore(&text).map_err(|e| e.to_string()))
}

pub fn approved() -> Vec<(String, String)> {
    storage().ok().and_then(|s| s.get_item(APPROVED_KEY).ok()?).and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default()
}

pub fn set_approved(sources: &[(String, String)]) -> Result<(), String> {
    let text = serde_json::to_string(sources).map_err(|e| e.to_string())?;
    storage()?.set_item(APPROVED_KEY, &text).map_err(|e| js_text(&e))
}
