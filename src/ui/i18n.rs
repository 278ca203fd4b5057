//! The language in the page: picked from the browser, switchable, shared through context.

pub use crate::i18n::{Lang, Text};
use yew::prelude::*;

/// The browser's preferred language.
pub fn browser_lang() -> Lang {
    web_sys::window().and_then(|w| w.navigator().language()).map_or(Lang::En, |t| Lang::from_tag(&t))
}

/// The language every component reads from context.
#[hook]
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or(Lang::En)
}
