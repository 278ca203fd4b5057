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

/// A message for the reader: the console's own words in their language, or someone else's text
/// (AWS's error, the browser's) quoted as it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    Hint(Text),
    Quoted(String),
}

impl Said {
    pub fn in_lang(&self, lang: Lang) -> &str {
        match self {
            Said::Hint(text) => lang.t(*text),
            Said::Quoted(text) => text,
        }
    }
}

impl From<String> for Said {
    fn from(text: String) -> Said {
        Said::Quoted(text)
    }
}
