//! Form fields bound to component state.

use serde_json::{json, Value};
use yew::prelude::*;

/// A number field as a request member: a JSON number when the text is a whole number, the
/// text itself otherwise, so the API's own type check answers what is wrong, in AWS's words.
pub fn whole_number_or_text(text: &str) -> Value {
    let text = text.trim();
    text.parse::<i64>().map_or_else(|_| json!(text), |n| json!(n))
}

/// Keeps a text field's state in step with what is typed.
pub fn text_input(state: UseStateHandle<String>) -> Callback<InputEvent> {
    Callback::from(move |e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        state.set(input.value());
    })
}

/// Keeps a select's state in step with the chosen option.
pub fn select_input(state: UseStateHandle<String>) -> Callback<Event> {
    Callback::from(move |e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        state.set(select.value());
    })
}

/// The option a select shows: the chosen one while it is still offered, otherwise the one at
/// `fallback` (lists change under the form: shards appear, split and close).
pub fn chosen_or(chosen: &str, options: &[String], fallback: usize) -> String {
    if options.iter().any(|o| o == chosen) {
        chosen.to_string()
    } else {
        options.get(fallback).or(options.first()).cloned().unwrap_or_default()
    }
}

#[derive(Properties, PartialEq)]
pub struct ChoiceProps {
    pub label: AttrValue,
    pub options: &'static [&'static str],
    pub state: UseStateHandle<String>,
    #[prop_or_default]
    pub testid: AttrValue,
    #[prop_or_default]
    pub hint: AttrValue,
}

/// A labelled select over a fixed set of AWS enum values.
#[component]
pub fn Choice(props: &ChoiceProps) -> Html {
    html! {
        <label title={props.hint.clone()}>{ props.label.clone() }
            <select data-testid={props.testid.clone()} onchange={select_input(props.state.clone())}>
                { for props.options.iter().map(|o| html! {
                    <option value={*o} selected={props.state.as_str() == *o}>{ *o }</option>
                }) }
            </select>
        </label>
    }
}
