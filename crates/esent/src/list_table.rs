//! The tables the list forms of the info calls return (JET_COLUMNLIST,
//! JET_INDEXLIST, JET_OBJECTLIST). ESENT returns each as a temporary
//! table; the engine has no temporary tables yet (they come with their
//! own issue), so a list is the smallest real table that serves: its rows
//! materialized when the call is made, read-only, moved over with JetMove
//! and read with JetRetrieveColumn / JetRetrieveColumns, closed with
//! JetCloseTable like any table. Any other call on it is
//! `JET_errIllegalOperation`, as ESENT answers an operation a temporary
//! table does not support.
//!
//! Columns are numbered from 1 in the order the list's structure names
//! them; the structure the caller receives holds those numbers.

use ese::api::grbit::{JET_MoveFirst, JET_MoveLast, JET_bitMoveKeyNE};
use ese::codes::*;
use ese::{Error, Result};

/// Where the list's cursor is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    BeforeFirst,
    On(usize),
    AfterLast,
}

/// A materialized, read-only table of rows; each row holds one value (or
/// none: NULL) per column.
#[derive(Debug)]
pub(crate) struct ListTable {
    columns: usize,
    rows: Vec<Vec<Option<Vec<u8>>>>,
    place: Place,
}

fn no_current_record() -> Error {
    Error::new(JET_errNoCurrentRecord)
}

impl ListTable {
    /// A list of `columns` columns; the cursor starts on the first row
    /// (before it when there is none), as ESENT returns its lists.
    pub fn new(columns: usize, rows: Vec<Vec<Option<Vec<u8>>>>) -> Self {
        debug_assert!(rows.iter().all(|r| r.len() == columns));
        let place = if rows.is_empty() {
            Place::BeforeFirst
        } else {
            Place::On(0)
        };
        ListTable {
            columns,
            rows,
            place,
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// JetMove: first, last, or `offset` rows on; moving off either end
    /// leaves the cursor there with `JET_errNoCurrentRecord`.
    pub fn move_(&mut self, offset: i32, grbit: u32) -> Result<()> {
        if grbit & !JET_bitMoveKeyNE != 0 {
            return Err(
                Error::new(JET_errInvalidGrbit).with_detail(format!("JetMove: grbit {grbit:#x}"))
            );
        }
        let last = self.rows.len().checked_sub(1);
        match offset {
            JET_MoveFirst => {
                self.place = if last.is_some() {
                    Place::On(0)
                } else {
                    Place::AfterLast
                };
            }
            JET_MoveLast => {
                self.place = match last {
                    Some(last) => Place::On(last),
                    None => Place::BeforeFirst,
                };
            }
            0 => {}
            n => {
                let here: i64 = match self.place {
                    Place::BeforeFirst => -1,
                    Place::On(i) => i as i64,
                    Place::AfterLast => self.rows.len() as i64,
                };
                let to = here + i64::from(n);
                self.place = if to < 0 {
                    Place::BeforeFirst
                } else if to >= self.rows.len() as i64 {
                    Place::AfterLast
                } else {
                    Place::On(to as usize)
                };
            }
        }
        match self.place {
            Place::On(_) => Ok(()),
            _ => Err(no_current_record()),
        }
    }

    /// The value of `column_id` in the current row: `None` for NULL.
    /// `itag_sequence` past the first value is NULL (the columns are
    /// single-valued); `ib_long_value` skips that many bytes.
    pub fn value(
        &self,
        column_id: u32,
        itag_sequence: u32,
        ib_long_value: u32,
    ) -> Result<Option<&[u8]>> {
        if column_id == 0 || column_id as usize > self.columns {
            return Err(Error::new(JET_errColumnNotFound)
                .with_detail(format!("the list has no column {column_id}")));
        }
        let Place::On(row) = self.place else {
            return Err(no_current_record());
        };
        if itag_sequence > 1 {
            return Ok(None);
        }
        Ok(self.rows[row][column_id as usize - 1].as_deref().map(|v| {
            let skip = (ib_long_value as usize).min(v.len());
            &v[skip..]
        }))
    }
}

/// A list row's values, built column by column in the structure's order.
#[derive(Default)]
pub(crate) struct Row(pub Vec<Option<Vec<u8>>>);

impl Row {
    pub fn long(mut self, value: u32) -> Self {
        self.0.push(Some(value.to_le_bytes().to_vec()));
        self
    }
    pub fn short(mut self, value: u16) -> Self {
        self.0.push(Some(value.to_le_bytes().to_vec()));
        self
    }
    pub fn bytes(mut self, value: Option<Vec<u8>>) -> Self {
        self.0.push(value);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn three() -> ListTable {
        ListTable::new(
            2,
            (0..3u32)
                .map(|i| Row::default().long(i).bytes(None).0)
                .collect(),
        )
    }

    #[test]
    fn moves_stop_at_the_ends_with_no_current_record() {
        let mut list = three();
        assert_eq!(list.value(1, 1, 0).unwrap(), Some(&0u32.to_le_bytes()[..]));
        list.move_(2, 0).unwrap();
        assert_eq!(list.value(1, 1, 0).unwrap(), Some(&2u32.to_le_bytes()[..]));
        assert_eq!(list.move_(1, 0).unwrap_err().code(), JET_errNoCurrentRecord);
        assert_eq!(
            list.value(1, 1, 0).unwrap_err().code(),
            JET_errNoCurrentRecord
        );
        list.move_(-1, 0).unwrap();
        assert_eq!(list.value(1, 1, 0).unwrap(), Some(&2u32.to_le_bytes()[..]));
        assert_eq!(
            list.move_(-5, 0).unwrap_err().code(),
            JET_errNoCurrentRecord
        );
        list.move_(1, 0).unwrap();
        assert_eq!(list.value(1, 1, 0).unwrap(), Some(&0u32.to_le_bytes()[..]));
        list.move_(JET_MoveLast, 0).unwrap();
        assert_eq!(list.value(1, 1, 0).unwrap(), Some(&2u32.to_le_bytes()[..]));
    }

    #[test]
    fn values_are_single_and_columns_checked() {
        let list = three();
        assert_eq!(list.value(2, 1, 0).unwrap(), None);
        assert_eq!(list.value(1, 2, 0).unwrap(), None);
        assert_eq!(list.value(1, 1, 3).unwrap(), Some(&[0u8][..]));
        assert_eq!(
            list.value(3, 1, 0).unwrap_err().code(),
            JET_errColumnNotFound
        );
        let mut empty = ListTable::new(1, Vec::new());
        assert_eq!(
            empty.move_(JET_MoveFirst, 0).unwrap_err().code(),
            JET_errNoCurrentRecord
        );
        assert_eq!(empty.len(), 0);
    }
}
