//! The world's built-in record sources, by id: stored records name their source by a small
//! id instead of carrying it, so a saved world holds each source once. A source stays after its
//! producer is removed, since the stream still holds (and readers still render) its records.

use crate::engine::producers::generator::Source;
use serde::{Deserialize, Serialize};
use std::rc::Rc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceId(pub u32);

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sources(Vec<Rc<Source>>);

impl Sources {
    pub fn register(&mut self, source: Source) -> SourceId {
        self.0.push(Rc::new(source));
        SourceId(self.0.len() as u32 - 1)
    }

    pub fn get(&self, id: SourceId) -> Option<&Rc<Source>> {
        self.0.get(id.0 as usize)
    }

    /// Rebuilds what a saved world leaves out (Zipf key weights) after a restore.
    pub fn restore_derived(&mut self) -> Result<(), String> {
        for (i, source) in self.0.iter_mut().enumerate() {
            let source = Rc::make_mut(source);
            source.keys.restore_derived(source.kind.population()).map_err(|e| format!("source {i}: {e}"))?;
        }
        Ok(())
    }
}
