use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ConsolePanelProps {
    pub title: AttrValue,
    #[prop_or_default]
    pub children: Html,
}

/// One labelled area of the console.
#[component]
pub fn ConsolePanel(props: &ConsolePanelProps) -> Html {
    html! {
        <section class="panel" aria-label={props.title.clone()}>
            <h2 class="panel-title">{ props.title.clone() }</h2>
            <div class="panel-body">{ props.children.clone() }</div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct EmptyStateProps {
    /// Headline shown while the area has nothing to list.
    pub title: AttrValue,
    #[prop_or_default]
    pub children: Html,
}

/// What an empty area says: that it is empty, and what will appear in it.
#[component]
pub fn EmptyState(props: &EmptyStateProps) -> Html {
    html! {
        <div class="panel-empty">
            <p class="panel-empty-title">{ props.title.clone() }</p>
            <div class="panel-empty-text">{ props.children.clone() }</div>
        </div>
    }
}
