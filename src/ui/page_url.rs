//! What the page's address asks for: `?embed=1` (the compact layout for course iframes) and
//! `#scenario=<deflate+base64url>` (a shared scenario).

const FRAGMENT_PREFIX: &str = "#scenario=";

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

pub fn embed() -> bool {
    let search = location().and_then(|l| l.search().ok()).unwrap_or_default();
    search.trim_start_matches('?').split('&').any(|p| p == "embed=1" || p == "embed=true")
}

/// The compressed scenario in the fragment, if the page was opened from a share link.
pub fn scenario_fragment() -> Option<String> {
    let hash = location()?.hash().ok()?;
    hash.strip_prefix(FRAGMENT_PREFIX).map(str::to_string)
}

/// This page's address with `fragment` as its shared scenario (query kept, so embeds stay so).
pub fn share_url(fragment: &str) -> String {
    let l = location();
    let base = l.as_ref().and_then(|l| Some(format!("{}{}{}", l.origin().ok()?, l.pathname().ok()?, l.search().ok()?))).unwrap_or_default();
    format!("{base}{FRAGMENT_PREFIX}{fragment}")
}
