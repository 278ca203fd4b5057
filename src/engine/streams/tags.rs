//! Stream tags: AddTagsToStream, ListTagsForStream, RemoveTagsFromStream.

use super::KinesisService;
use crate::engine::api::error::KinesisError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Tags a stream may carry.
pub const MAX_TAGS_PER_STREAM: usize = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTagsForStreamOutput {
    pub tags: Vec<Tag>,
    pub has_more_tags: bool,
}

/// AWS allows Unicode letters, digits, white space and `_ . / = + - % @` in tags.
fn valid_tag_text(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_alphanumeric() || c.is_whitespace() || "_./=+-%@".contains(c))
}

impl KinesisService {
    /// Checks tag characters and the per-stream count (also used by CreateStream).
    pub(super) fn check_tags(
        &self,
        name: &str,
        existing: &BTreeMap<String, String>,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), KinesisError> {
        let account = &self.config.account_id;
        if !tags
            .iter()
            .all(|(k, v)| valid_tag_text(k) && valid_tag_text(v))
        {
            return Err(KinesisError::InvalidArgument(
                "Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, _ . / = + - % @.".to_string(),
            ));
        }
        if tags.iter().any(|(k, v)| k.contains('%') || v.contains('%')) {
            return Err(KinesisError::InvalidArgument(format!(
                "Failed to add tags to stream {name} under account {account} because some tags contained illegal characters. The allowed characters are Unicode letters, white-spaces, '_',',','/','=','+','-','@'."
            )));
        }
        let total = existing
            .keys()
            .chain(tags.keys().filter(|k| !existing.contains_key(*k)))
            .count();
        if total > MAX_TAGS_PER_STREAM {
            return Err(KinesisError::InvalidArgument(format!(
                "Failed to add tags to stream {name} under account {account} because a given stream cannot have more than {MAX_TAGS_PER_STREAM} tags associated with it."
            )));
        }
        Ok(())
    }

    pub fn add_tags(
        &mut self,
        name: &str,
        tags: BTreeMap<String, String>,
    ) -> Result<(), KinesisError> {
        let existing = &self.existing(name)?.tags;
        self.check_tags(name, existing, &tags)?;
        self.existing_mut(name)?.tags.extend(tags);
        Ok(())
    }

    pub fn remove_tags(&mut self, name: &str, keys: &[String]) -> Result<(), KinesisError> {
        let stream = self.existing_mut(name)?;
        for k in keys {
            stream.tags.remove(k);
        }
        Ok(())
    }

    /// Tags in key order, after `exclusive_start_tag_key`, at most `limit` (default 50).
    pub fn list_tags(
        &self,
        name: &str,
        exclusive_start_tag_key: Option<&str>,
        limit: Option<u32>,
    ) -> Result<ListTagsForStreamOutput, KinesisError> {
        let stream = self.existing(name)?;
        let limit = limit.map_or(MAX_TAGS_PER_STREAM, |l| l as usize);
        let after: Vec<Tag> = stream
            .tags
            .iter()
            .filter(|(k, _)| exclusive_start_tag_key.is_none_or(|s| k.as_str() > s))
            .map(|(k, v)| Tag {
                key: k.clone(),
                value: v.clone(),
            })
            .collect();
        Ok(ListTagsForStreamOutput {
            has_more_tags: after.len() > limit,
            tags: after.into_iter().take(limit).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::stream::StreamMode;
    use super::*;

    #[test]
    fn tags_are_added_listed_and_removed() {
        let mut k = KinesisService::default();
        k.create_stream(0, "s", Some(1), StreamMode::Provisioned, BTreeMap::new())
            .unwrap();
        k.add_tags(
            "s",
            BTreeMap::from([("b".into(), "2".into()), ("a".into(), "1".into())]),
        )
        .unwrap();
        let out = k.list_tags("s", None, Some(1)).unwrap();
        assert_eq!(
            out.tags,
            vec![Tag {
                key: "a".into(),
                value: "1".into()
            }]
        );
        assert!(out.has_more_tags);
        k.remove_tags("s", &["a".into()]).unwrap();
        assert_eq!(k.list_tags("s", None, None).unwrap().tags.len(), 1);
        assert_eq!(
            k.add_tags("s", BTreeMap::from([("x".into(), "50%".into())])).unwrap_err().message(),
            "Failed to add tags to stream s under account 123456789012 because some tags contained illegal characters. The allowed characters are Unicode letters, white-spaces, '_',',','/','=','+','-','@'."
        );
        assert!(k
            .add_tags("s", BTreeMap::from([("x".into(), "a*b".into())]))
            .unwrap_err()
            .message()
            .starts_with("Some tags contain invalid characters."));
    }
}
