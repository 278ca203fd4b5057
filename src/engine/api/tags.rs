//! AddTagsToStream, RemoveTagsFromStream, ListTagsForStream.

use super::error::KinesisError;
use super::{parse, reply};
use crate::engine::streams::KinesisService;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AddTags {
    stream_name: String,
    tags: BTreeMap<String, Option<String>>,
}

pub fn add_tags(k: &mut KinesisService, input: Value) -> Result<String, KinesisError> {
    let r: AddTags = parse(input)?;
    // A null tag value is stored as an empty one.
    k.add_tags(
        &r.stream_name,
        r.tags
            .into_iter()
            .map(|(key, v)| (key, v.unwrap_or_default()))
            .collect(),
    )?;
    Ok(String::new())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RemoveTags {
    stream_name: String,
    tag_keys: Vec<Option<String>>,
}

pub fn remove_tags(k: &mut KinesisService, input: Value) -> Result<String, KinesisError> {
    let r: RemoveTags = parse(input)?;
    let keys: Vec<String> = r.tag_keys.into_iter().flatten().collect();
    k.remove_tags(&r.stream_name, &keys)?;
    Ok(String::new())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListTags {
    stream_name: String,
    exclusive_start_tag_key: Option<String>,
    limit: Option<u32>,
}

pub fn list_tags(k: &KinesisService, input: Value) -> Result<String, KinesisError> {
    let r: ListTags = parse(input)?;
    reply(&k.list_tags(
        &r.stream_name,
        r.exclusive_start_tag_key.as_deref(),
        r.limit,
    )?)
}
