//! One bucket, browsed folder by folder as the S3 console does (ListObjectsV2 with
//! `delimiter = "/"`), and the object opened from it.

use super::ObjectViewer;
use crate::engine::clock::format_utc;
use crate::ui::units::format_bytes;
use crate::ui::{use_lang, SimHandle, Text};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct BucketPageProps {
    pub sim: SimHandle,
    pub revision: u64,
    pub bucket: AttrValue,
    pub on_back: Callback<()>,
    /// Told the key of every object opened (the guided lesson checks its last step with it).
    #[prop_or_default]
    pub on_object: Callback<String>,
}

/// The prefix's folders, one per `/`-ended part: `a/b/` gives `[("a/", "a/"), ("b/", "a/b/")]`.
pub fn prefix_steps(prefix: &str) -> Vec<(String, String)> {
    let mut steps = Vec::new();
    let mut end = 0;
    for part in prefix.split_inclusive('/') {
        end += part.len();
        steps.push((part.to_string(), prefix[..end].to_string()));
    }
    steps
}

#[component]
pub fn BucketPage(props: &BucketPageProps) -> Html {
    let lang = use_lang();
    let prefix = use_state(String::new);
    let opened = use_state(|| None::<String>);
    let back = props.on_back.reform(|_: MouseEvent| ());
    let go = |p: String| {
        let (prefix, opened) = (prefix.clone(), opened.clone());
        Callback::from(move |_: MouseEvent| {
            prefix.set(p.clone());
            opened.set(None);
        })
    };
    let listing = props.sim.read().s3.list_objects_v2(&props.bucket, &prefix, Some("/"));
    let crumbs = html! {
        <nav class="crumbs" aria-label="Breadcrumb">
            <button class="link" onclick={back}>{ lang.t(Text::Console) }</button>
            { " › S3 › " }<strong>{ props.bucket.clone() }</strong>
        </nav>
    };
    let Ok(listing) = listing else {
        return html! { <main class="page">{ crumbs }<p class="alert">{ format!("NoSuchBucket: {}", props.bucket) }</p></main> };
    };
    let path = html! {
        <nav class="s3-path" aria-label={lang.t(Text::Folder)} data-testid="s3-path">
            <button class="link" onclick={go(String::new())}>{ format!("{}/", props.bucket) }</button>
            { for prefix_steps(&prefix).into_iter().map(|(part, full)| html! {
                <button class="link" onclick={go(full)}>{ part }</button>
            }) }
        </nav>
    };
    let rows = listing.common_prefixes.iter().map(|p| {
        let name = p.strip_prefix(prefix.as_str()).unwrap_or(p).to_string();
        html! {
            <tr>
                <td><button class="link folder" data-testid="s3-folder" onclick={go(p.clone())}>{ format!("📁 {name}") }</button></td>
                <td>{ lang.t(Text::Folder) }</td><td class="num">{ "—" }</td><td>{ "—" }</td>
            </tr>
        }
    });
    let objects = listing.contents.iter().map(|o| {
        let name = o.key.strip_prefix(prefix.as_str()).unwrap_or(&o.key).to_string();
        let open = { let (opened, k, told) = (opened.clone(), o.key.clone(), props.on_object.clone()); Callback::from(move |_: MouseEvent| { opened.set(Some(k.clone())); told.emit(k.clone()); }) };
        let selected = opened.as_deref() == Some(o.key.as_str());
        html! {
            <tr class={classes!(selected.then_some("selected"))}>
                <td><button class="link" data-testid="s3-object" onclick={open}>{ name }</button></td>
                <td>{ lang.t(Text::Object) }</td>
                <td class="num">{ format_bytes(o.size as usize) }</td>
                <td class="mono">{ format_utc(o.last_modified_ms) }</td>
            </tr>
        }
    });
    let empty = listing.key_count() == 0;
    html! {
        <main class="page">
            { crumbs }
            <div class="page-head"><h2>{ props.bucket.clone() }</h2></div>
            <section class="card">
                <div class="card-head"><h3>{ lang.t(Text::Objects) }</h3>{ path }</div>
                if empty {
                    <p class="muted">{ lang.t(Text::NoObjectsHere) }</p>
                } else {
                    <div class="table-scroll">
                        <table class="table s3-tree" data-testid="s3-listing">
                            <thead><tr>
                                <th>{ lang.t(Text::Name) }</th><th>{ lang.t(Text::Type) }</th>
                                <th class="num">{ lang.t(Text::Size) }</th><th>{ lang.t(Text::LastModified) }</th>
                            </tr></thead>
                            <tbody>{ for rows }{ for objects }</tbody>
                        </table>
                    </div>
                }
            </section>
            if let Some(key) = (*opened).clone() {
                <ObjectViewer sim={props.sim.clone()} bucket={props.bucket.clone()} key_name={key} />
            }
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::prefix_steps;

    #[test]
    fn steps_follow_the_folders() {
        assert_eq!(prefix_steps(""), vec![]);
        assert_eq!(
            prefix_steps("a/2026/"),
            vec![("a/".to_string(), "a/".to_string()), ("2026/".to_string(), "a/2026/".to_string())]
        );
    }
}
