//! Scenario actions in the top bar: export the setup as a file, import one from a file or
//! pasted JSON (the app replaces the world only when the engine accepts it), and a share link
//! holding the setup in the URL fragment.

use super::{page_url, use_lang, SimHandle, Text};
use crate::engine::scenario::link;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScenarioBarProps {
    pub sim: SimHandle,
    /// Why the last import was refused, shown in the import dialog.
    pub error: Option<AttrValue>,
    /// Counts accepted imports, so the dialog closes after one.
    pub loaded: u64,
    pub on_load: Callback<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Open {
    Nothing,
    Import,
    Share,
}

#[function_component(ScenarioBar)]
pub fn scenario_bar(props: &ScenarioBarProps) -> Html {
    let lang = use_lang();
    let open = use_state(|| Open::Nothing);
    let pasted = use_state(String::new);
    {
        let open = open.clone();
        use_effect_with(props.loaded, move |_| open.set(Open::Nothing));
    }
    let export = {
        let sim = props.sim.clone();
        Callback::from(move |_: MouseEvent| {
            let text = sim.read().to_scenario();
            // A failed download (no document) leaves nothing to report but the missing file.
            let _ = super::s3::download::save_bytes("kinesim-scenario.json", "application/json", text.as_bytes());
        })
    };
    let toggle = |which: Open| {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(if *open == which { Open::Nothing } else { which }))
    };
    let on_paste = {
        let pasted = pasted.clone();
        Callback::from(move |e: InputEvent| pasted.set(e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value()))
    };
    let load_pasted = {
        let (pasted, on_load) = (pasted.clone(), props.on_load.clone());
        Callback::from(move |_: MouseEvent| on_load.emit((*pasted).clone()))
    };
    let on_file = {
        let on_load = props.on_load.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            let on_load = on_load.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
                let text = text.ok().and_then(|t| t.as_string()).unwrap_or_default();
                on_load.emit(text);
            });
            input.set_value("");
        })
    };
    let share = if *open == Open::Share { page_url::share_url(&link::encode(&props.sim.read().to_scenario())) } else { String::new() };
    let select_all = Callback::from(|e: FocusEvent| {
        if let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
            input.select();
        }
    });
    html! {
        <div class="scenario-bar">
            <button class="btn" data-testid="scenario-export" title={lang.t(Text::ExportScenarioHint)} onclick={export}>{ lang.t(Text::ExportScenario) }</button>
            <button class="btn" data-testid="scenario-import" title={lang.t(Text::ImportScenarioHint)} aria-expanded={(*open == Open::Import).to_string()}
                    onclick={toggle(Open::Import)}>{ lang.t(Text::ImportScenario) }</button>
            <button class="btn" data-testid="scenario-share" title={lang.t(Text::ShareLinkHint)} aria-expanded={(*open == Open::Share).to_string()}
                    onclick={toggle(Open::Share)}>{ lang.t(Text::ShareLink) }</button>
            if *open == Open::Import {
                <section class="scenario-dialog" role="dialog" aria-label={lang.t(Text::ImportScenarioTitle)} data-testid="import-dialog">
                    <h2>{ lang.t(Text::ImportScenarioTitle) }</h2>
                    <p class="muted">{ lang.t(Text::ImportScenarioText) }</p>
                    <label>{ lang.t(Text::ScenarioFile) }
                        <input type="file" accept=".json,application/json" data-testid="import-file" onchange={on_file} />
                    </label>
                    <label>{ lang.t(Text::ScenarioJson) }
                        <textarea rows="8" spellcheck="false" data-testid="import-text" value={(*pasted).clone()} oninput={on_paste} />
                    </label>
                    if let Some(error) = &props.error {
                        <p class="alert" role="alert" data-testid="import-error">
                            <strong>{ lang.t(Text::ScenarioRefused) }</strong>{ " " }{ error.clone() }
                        </p>
                    }
                    <div class="dialog-actions">
                        <button class="btn-action" data-testid="import-load" onclick={load_pasted}>{ lang.t(Text::LoadScenario) }</button>
                        <button class="btn-plain" onclick={toggle(Open::Import)}>{ lang.t(Text::CloseDialog) }</button>
                    </div>
                </section>
            }
            if *open == Open::Share {
                <section class="scenario-dialog" role="dialog" aria-label={lang.t(Text::ShareLink)} data-testid="share-dialog">
                    <label>{ lang.t(Text::ShareLinkReady) }
                        <input readonly=true class="mono" data-testid="share-url" value={share} onfocus={select_all} />
                    </label>
                    <div class="dialog-actions">
                        <button class="btn-plain" onclick={toggle(Open::Share)}>{ lang.t(Text::CloseDialog) }</button>
                    </div>
                </section>
            }
        </div>
    }
}
