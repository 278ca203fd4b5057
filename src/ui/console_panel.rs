use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ConsolePanelProps {
    pub title: AttrValue,
    /// Headline shown while the area has nothing to list.
    pub empty: AttrValue,
    #[prop_or_default]
    pub children: Html,
}

/// One labelled area of the console, with an empty state that says what will appear in it.
#[component]
pub fn ConsolePanel(props: &ConsolePanelProps) -> Html {
    html! {
        <section class="panel" aria-label={props.title.clone()}>
            <h2 class="panel-title">{ props.title.clone() }</h2>
            <div class="panel-empty">
                <p class="panel-empty-title">{ props.empty.clone() }</p>
                <p class="panel-empty-text">{ props.children.clone() }</p>
            </div>
        </section>
    }
}
