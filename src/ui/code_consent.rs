//! Asks before running JavaScript that arrived with a scenario (a link, a file, a save): the
//! code is shown as text, and nothing runs unless the user allows it.

use super::{use_lang, Text};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CodeConsentProps {
    /// (function name, JavaScript source) waiting for a decision.
    pub sources: Vec<(String, String)>,
    pub on_decide: Callback<bool>,
}

#[function_component(CodeConsent)]
pub fn code_consent(props: &CodeConsentProps) -> Html {
    let lang = use_lang();
    let decide = |allow: bool| props.on_decide.reform(move |_: MouseEvent| allow);
    html! {
        <div class="consent-backdrop">
            <section class="consent" role="alertdialog" aria-modal="true" aria-labelledby="consent-title" data-testid="code-consent">
                <h2 id="consent-title">{ lang.t(Text::ConsentTitle) }</h2>
                <p>{ lang.t(Text::ConsentText) }</p>
                { for props.sources.iter().map(|(name, code)| html! {
                    <figure class="consent-code">
                        <figcaption class="mono">{ name.clone() }</figcaption>
                        // Text content only: yew escapes it, so the code is never parsed as HTML.
                        <pre data-testid="consent-code">{ code.clone() }</pre>
                    </figure>
                }) }
                <div class="dialog-actions">
                    <button class="btn-plain" data-testid="consent-skip" onclick={decide(false)}>{ lang.t(Text::ConsentSkip) }</button>
                    <button class="btn-action danger" data-testid="consent-run" onclick={decide(true)}>{ lang.t(Text::ConsentRun) }</button>
                </div>
            </section>
        </div>
    }
}
