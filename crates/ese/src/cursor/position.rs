//! Bookmarks and positions (ESE: JetGetBookmark, JetGotoBookmark, the
//! secondary-index bookmarks, JetIndexRecordCount, JetGetRecordPosition,
//! JetGotoPosition).

use super::{no_current_record, record_not_found, Cursor, Position};
use crate::catalog::IndexDef;
use crate::codes::*;
use crate::record::keys::{index_entries, IndexEntries};
use crate::record::values::RecordValues;
use crate::storage::btree::Entry;
use crate::{Error, Result};

impl Cursor {
    // ------------------------------------------------------------
    // Bookmarks and positions

    /// JetGetBookmark: the current record's primary key.
    pub fn get_bookmark(&self) -> Result<Vec<u8>> {
        let _call = self.session.enter()?;
        match &self.position {
            Position::On(place) => Ok(place.bookmark.to_vec()),
            _ => Err(no_current_record()),
        }
    }

    /// The record data a bookmark leads to in the clustered index.
    pub(crate) fn record_data(&self, bookmark: &[u8]) -> Result<Option<Vec<u8>>> {
        let mut data = Vec::new();
        Ok(self.record_data_into(bookmark, &mut data)?.then_some(data))
    }

    /// [`Self::record_data`] into `data` (replacing what it held): false
    /// when the record is not there.
    pub(crate) fn record_data_into(&self, bookmark: &[u8], data: &mut Vec<u8>) -> Result<bool> {
        // On the clustered index the cursor's leaf already holds it.
        if self.current_tree().1 {
            let change = self.view_stamp();
            if let Some(cache) = &self.leaf {
                let leaf = &cache.leaf;
                if cache.change == change
                    && cache.index < leaf.len()
                    && leaf.key_is(cache.index, bookmark)?
                {
                    data.clear();
                    data.extend_from_slice(leaf.data(cache.index)?);
                    return Ok(true);
                }
            }
            if let Some((at, entry)) = &self.landed {
                if *at == change && entry.key == bookmark {
                    data.clear();
                    data.extend_from_slice(&entry.data);
                    return Ok(true);
                }
            }
        }
        self.table.tree().get_into(&self.pages(), bookmark, data)
    }

    /// JetGotoBookmark: positions on the record in the current index.
    pub fn goto_bookmark(&mut self, bookmark: &[u8]) -> Result<()> {
        let _call = self.session.enter()?;
        let database = self.database.clone();
        let _access = database.read_access();
        self.refresh()?;
        if bookmark.is_empty() {
            return Err(Error::new(JET_errInvalidBookmark));
        }
        let data = self.record_data(bookmark)?.ok_or_else(record_not_found)?;
        self.update = None;
        self.key = None;
        let (tree, clustered) = self.current_tree();
        let (key, order) = if clustered {
            (bookmark.to_vec(), Vec::new())
        } else {
            let index = self
                .index
                .clone()
                .ok_or_else(|| Error::new(JET_errNoCurrentIndex))?;
            let pages = self.pages();
            let values = RecordValues::decode(&pages, &self.table, &data)?;
            match index_entries(&self.table, &index, &values)? {
                IndexEntries::Keys(keys) if !keys.is_empty() => {
                    let order = if index.is_unique() {
                        Vec::new()
                    } else {
                        bookmark.to_vec()
                    };
                    (keys[0].clone(), order)
                }
                _ => return Err(no_current_record()),
            }
        };
        let pages = self.pages();
        let (leaf, index) = tree.leaf_for(&pages, &key, &order)?;
        let found = index < leaf.len()
            && leaf.key_is(index, &key)?
            && (clustered || leaf.data(index)? == bookmark);
        if !found {
            return Err(record_not_found());
        }
        self.set_on(leaf, index)
    }

    /// JetGetSecondaryIndexBookmark: (secondary key, primary key) of the
    /// current entry of a secondary index.
    pub fn get_secondary_index_bookmark(&self) -> Result<(Vec<u8>, Vec<u8>)> {
        let _call = self.session.enter()?;
        let (_, clustered) = self.current_tree();
        if clustered {
            return Err(
                Error::new(JET_errNoCurrentIndex).with_detail("the cursor is on the primary index")
            );
        }
        match &self.position {
            Position::On(place) => Ok((place.key.to_vec(), place.bookmark.to_vec())),
            _ => Err(no_current_record()),
        }
    }

    /// JetGotoSecondaryIndexBookmark.
    pub fn goto_secondary_index_bookmark(&mut self, key: &[u8], bookmark: &[u8]) -> Result<()> {
        let _call = self.session.enter()?;
        let database = self.database.clone();
        let _access = database.read_access();
        self.refresh()?;
        let (tree, clustered) = self.current_tree();
        if clustered {
            return Err(Error::new(JET_errNoCurrentIndex));
        }
        let unique = self.index.as_ref().is_some_and(IndexDef::is_unique);
        let order = if unique { &[][..] } else { bookmark };
        let pages = self.pages();
        let (leaf, index) = tree.leaf_for(&pages, key, order)?;
        if index >= leaf.len() || !leaf.holds(index, key, bookmark)? {
            return Err(record_not_found());
        }
        self.update = None;
        self.set_on(leaf, index)
    }

    /// Every entry of the current index inside the index range, in order
    /// (for counts and positions).
    fn entries_in_range(&self) -> Result<Vec<Entry>> {
        let (tree, _) = self.current_tree();
        let pages = self.pages();
        let mut all = Vec::new();
        for entry in tree.entries(&pages) {
            let entry = entry?;
            if let Some(range) = &self.range {
                if !range.contains(&entry.key) {
                    continue;
                }
            }
            all.push(entry);
        }
        Ok(all)
    }

    /// JetIndexRecordCount: entries from the current one forward to the
    /// end of the index or of the index range (the whole index before the
    /// first entry, none after the last), counting at most `max` (0: all).
    pub fn index_record_count(&mut self, max: u32) -> Result<u32> {
        let _call = self.session.enter()?;
        let database = self.database.clone();
        let _access = database.read_access();
        self.refresh()?;
        let (tree, _) = self.current_tree();
        let pages = self.pages();
        // From the current entry; from the one after a deleted record or
        // the end of a range; nothing past the end; all before the start.
        let (start, skip_start) = match &self.position {
            Position::On(place) | Position::Before(place) => (Some(place.clone()), false),
            Position::Gap(place) | Position::Deleted(place) => (Some(place.clone()), true),
            Position::AfterLast => return Ok(0),
            Position::BeforeFirst => (None, false),
        };
        let entries: Box<dyn Iterator<Item = Result<Entry>>> = match &start {
            Some(place) => Box::new(tree.seek(&pages, &place.key)?),
            None => Box::new(tree.entries(&pages)),
        };
        let mut count = 0u32;
        for entry in entries {
            let entry = entry?;
            if let Some(place) = &start {
                // Duplicates of the key that sort before the current entry.
                let here = (place.key.as_slice(), place.order.as_slice());
                if entry.position() < here || (skip_start && entry.position() == here) {
                    continue;
                }
            }
            if let Some(range) = &self.range {
                if !range.contains(&entry.key) {
                    if range.upper {
                        break;
                    }
                    continue;
                }
            }
            count += 1;
            if max != 0 && count >= max {
                break;
            }
        }
        Ok(count)
    }

    /// JetGetRecordPosition: (entries before the current one, entries in
    /// the index). Exact, counted (ESE estimates).
    pub fn get_record_position(&mut self) -> Result<(u32, u32)> {
        let _call = self.session.enter()?;
        let database = self.database.clone();
        let _access = database.read_access();
        self.refresh()?;
        let Position::On(place) = self.position.clone() else {
            return Err(no_current_record());
        };
        let all = self.entries_in_range()?;
        let before = all.iter().take_while(|e| self.place_of(e) != place).count();
        Ok((before as u32, all.len() as u32))
    }

    /// JetGotoPosition: the entry at fraction `numerator / denominator` of
    /// the index.
    pub fn goto_position(&mut self, numerator: u32, denominator: u32) -> Result<()> {
        let _call = self.session.enter()?;
        let database = self.database.clone();
        let _access = database.read_access();
        self.refresh()?;
        if denominator == 0 || numerator > denominator {
            return Err(Error::new(JET_errInvalidParameter)
                .with_detail(format!("position {numerator}/{denominator}")));
        }
        let all = self.entries_in_range()?;
        if all.is_empty() {
            self.position = Position::BeforeFirst;
            return Err(no_current_record());
        }
        let target = ((u64::from(numerator) * all.len() as u64) / u64::from(denominator))
            .min(all.len() as u64 - 1) as usize;
        let place = self.place_of(&all[target]);
        let (leaf, index, exact) = self.locate(&place)?;
        if !exact {
            return Err(no_current_record());
        }
        self.update = None;
        self.set_on(leaf, index)
    }
}
