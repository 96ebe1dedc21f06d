//! The B+tree rules of leaf and branch pages: sibling links, leaf depth,
//! node validity, key order and separators.

use std::cmp::Ordering;

use ese_format::constants::max_key_size;
use ese_format::node::{node, node_count, Node};
use ese_format::page::Page;

use crate::codes::*;

use super::walk::{Role, Walk};
use super::{error, Checker, MAX_DEPTH};

/// Compares `separator` with the concatenation `key + data`, as ESE's
/// CmpKeyWithKeyData does (shorter is smaller on a common prefix).
fn cmp_with_key_data(separator: &[u8], key: &[u8], data: &[u8]) -> Ordering {
    let split = separator.len().min(key.len());
    separator[..split]
        .cmp(&key[..split])
        .then_with(|| {
            let rest = &separator[split..];
            let data_split = rest.len().min(data.len());
            rest[..data_split].cmp(&data[..data_split])
        })
        .then_with(|| separator.len().cmp(&(key.len() + data.len())))
}

impl<'s> Checker<'s> {
    fn node_error(&mut self, walk: &Walk, pgno: u32, index: usize, detail: impl Into<String>) {
        let detail = format!("node {index}: {}", detail.into());
        self.find(Some(&walk.name), error(JET_errNodeCorrupted, pgno, detail));
    }

    /// The key checks leaves and branches share: ESE never stores a
    /// one-byte prefix, and no stored key (prefix and suffix) exceeds
    /// `key_most`, the callers' loose bound of twice the page size's key
    /// limit.
    fn check_key_shape(
        &mut self,
        walk: &Walk,
        pgno: u32,
        index: usize,
        n: &Node<'_>,
        key_most: usize,
    ) {
        if n.prefix.len() == 1 {
            self.node_error(
                walk,
                pgno,
                index,
                "a one-byte key prefix (ESE never compresses so little)",
            );
        }
        if n.key_len() > key_most {
            self.node_error(walk, pgno, index, format!("a key of {} bytes", n.key_len()));
        }
    }

    pub(super) fn check_leaf(
        &mut self,
        walk: &mut Walk,
        pgno: u32,
        page: &Page<'_>,
        depth: usize,
        lower: Option<&[u8]>,
        upper: Option<&[u8]>,
    ) {
        let h = *page.header();
        match walk.leaf_depth {
            None => walk.leaf_depth = Some(depth),
            Some(d) if d != depth => {
                let e = error(
                    JET_errBadParentPageLink,
                    pgno,
                    format!("a leaf at depth {depth}, while the tree's leaves are at depth {d}"),
                );
                self.find(Some(&walk.name), e);
            }
            Some(_) => {}
        }
        if walk.chain_unknown {
            // The leaves between the last one seen and this one were lost.
            walk.chain_unknown = false;
            walk.prev_leaf_last = None;
        } else {
            if h.previous_page != walk.prev_leaf {
                let detail = if walk.prev_leaf == 0 {
                    format!(
                        "the first leaf of the tree links left to page {}",
                        h.previous_page
                    )
                } else {
                    format!(
                        "the leaf links left to page {}, but the leaf before it is page {}",
                        h.previous_page, walk.prev_leaf
                    )
                };
                self.find(Some(&walk.name), error(JET_errBadPageLink, pgno, detail));
            }
            if walk.prev_leaf != 0 && walk.prev_leaf_next != pgno {
                let e = error(
                    JET_errBadPageLink,
                    walk.prev_leaf,
                    format!(
                        "the leaf links right to page {}, but the leaf after it is page {pgno}",
                        walk.prev_leaf_next
                    ),
                );
                self.find(Some(&walk.name), e);
            }
        }
        walk.prev_leaf = pgno;
        walk.prev_leaf_next = h.next_page;

        let count = node_count(page);
        if count == 0 && depth > 0 {
            let e = error(
                JET_errBadParentPageLink,
                pgno,
                "an empty leaf page (not the root) is linked into the tree",
            );
            self.find(Some(&walk.name), e);
        }
        let key_most = 2 * max_key_size(page.page_size());
        let mut previous = walk.prev_leaf_last.take();
        let mut key = Vec::new();
        for index in 0..count {
            let n = match node(page, index) {
                Ok(n) => n,
                Err(e) => {
                    self.find(Some(&walk.name), e.in_page(pgno));
                    continue;
                }
            };
            self.check_key_shape(walk, pgno, index, &n, key_most);
            if walk.role == Role::Main {
                if n.key_len() == 0 {
                    self.node_error(walk, pgno, index, "a leaf node without a key");
                }
                if n.data.is_empty() {
                    self.node_error(walk, pgno, index, "a leaf node without data");
                }
            }
            n.key_into(&mut key);
            if let Some((prev_key, prev_data)) = &previous {
                let order = if walk.non_unique {
                    (key.as_slice(), n.data).cmp(&(prev_key.as_slice(), prev_data.as_slice()))
                } else {
                    key.as_slice().cmp(prev_key.as_slice())
                };
                if order != Ordering::Greater {
                    let where_ = if index == 0 {
                        format!("the first key of the leaf is not above the last key of the leaf before it (page {})", h.previous_page)
                    } else {
                        format!("node {index} is not above node {}", index - 1)
                    };
                    let what = if order == Ordering::Equal {
                        "a duplicate key"
                    } else {
                        "keys out of order"
                    };
                    self.find(
                        Some(&walk.name),
                        error(JET_errDatabaseCorrupted, pgno, format!("{what}: {where_}")),
                    );
                }
            }
            if index == 0 {
                if let Some(lower) = lower {
                    if cmp_with_key_data(lower, &key, n.data) == Ordering::Greater {
                        let e = error(
                            JET_errBadParentPageLink,
                            pgno,
                            "the leaf's first key is below the separator that leads to it",
                        );
                        self.find(Some(&walk.name), e);
                    }
                }
            }
            if index + 1 == count {
                if let Some(upper) = upper {
                    if key.as_slice() >= upper {
                        let e = error(
                            JET_errBadParentPageLink,
                            pgno,
                            "the leaf's last key is not below the separator that leads to it",
                        );
                        self.find(Some(&walk.name), e);
                    }
                }
            }
            if n.is_deleted() {
                walk.deleted += 1;
            } else if walk.role != Role::Main {
                if n.is_versioned() {
                    let code = walk.space_code();
                    self.find(
                        Some(&walk.name),
                        error(
                            code,
                            pgno,
                            format!("node {index}: a versioned node in a space tree"),
                        ),
                    );
                }
                self.space_node(walk, pgno, index, &key, n.data);
            }
            if n.is_versioned() {
                walk.versioned += 1;
            }
            // Only non-unique trees compare data: keep it only for them.
            let data = if walk.non_unique { n.data } else { &[] };
            match &mut previous {
                Some((prev_key, prev_data)) => {
                    std::mem::swap(prev_key, &mut key);
                    prev_data.clear();
                    prev_data.extend_from_slice(data);
                }
                None => previous = Some((std::mem::take(&mut key), data.to_vec())),
            }
        }
        walk.prev_leaf_last = previous;
    }

    pub(super) fn check_branch(
        &mut self,
        walk: &mut Walk,
        pgno: u32,
        page: &Page<'_>,
        depth: usize,
        lower: Option<&[u8]>,
        upper: Option<&[u8]>,
    ) {
        let h = *page.header();
        if h.previous_page != 0 || h.next_page != 0 {
            let e = error(
                JET_errBadPageLink,
                pgno,
                format!(
                    "a branch page links to siblings (left {}, right {}); ESE links leaves only",
                    h.previous_page, h.next_page
                ),
            );
            self.find(Some(&walk.name), e);
        }
        let count = node_count(page);
        if count == 0 {
            walk.complete = false;
            let e = error(
                JET_errBadParentPageLink,
                pgno,
                "a branch page holds no nodes",
            );
            self.find(Some(&walk.name), e);
            return;
        }
        if depth + 1 >= MAX_DEPTH {
            walk.complete = false;
            let e = error(
                JET_errBadParentPageLink,
                pgno,
                format!("the tree is deeper than {MAX_DEPTH} levels"),
            );
            self.find(Some(&walk.name), e);
            return;
        }
        let key_most = 2 * max_key_size(page.page_size());
        let mut children: Vec<(Vec<u8>, u32)> = Vec::with_capacity(count);
        for index in 0..count {
            let n = match node(page, index) {
                Ok(n) => n,
                Err(e) => {
                    walk.complete = false;
                    self.find(Some(&walk.name), e.in_page(pgno));
                    return;
                }
            };
            if n.is_deleted() || n.is_versioned() {
                self.node_error(
                    walk,
                    pgno,
                    index,
                    "a branch node flagged deleted or versioned",
                );
            }
            self.check_key_shape(walk, pgno, index, &n, key_most);
            let Ok(child) = <[u8; 4]>::try_from(n.data) else {
                walk.complete = false;
                self.node_error(
                    walk,
                    pgno,
                    index,
                    format!(
                        "a branch node holds {} data bytes, not a 4-byte page number",
                        n.data.len()
                    ),
                );
                return;
            };
            children.push((n.key(), u32::from_le_bytes(child)));
        }
        for index in 0..count {
            let key = &children[index].0;
            if key.is_empty() && index + 1 != count {
                let e = error(
                    JET_errBadParentPageLink,
                    pgno,
                    format!("node {index}: an empty key before the last node of a branch page"),
                );
                self.find(Some(&walk.name), e);
            }
            if index > 0 && !key.is_empty() && key <= &children[index - 1].0 {
                let e = error(
                    JET_errDatabaseCorrupted,
                    pgno,
                    format!(
                        "keys out of order: node {index} is not above node {}",
                        index - 1
                    ),
                );
                self.find(Some(&walk.name), e);
            }
        }
        let last_key = children[count - 1].0.as_slice();
        match upper {
            None if !last_key.is_empty() => {
                let e = error(
                    JET_errBadParentPageLink,
                    pgno,
                    "the last node of a branch page on the tree's right edge has a key (it must be empty)",
                );
                self.find(Some(&walk.name), e);
            }
            Some(upper) if last_key != upper => {
                let e = error(
                    JET_errBadParentPageLink,
                    pgno,
                    "the branch page's last key differs from the separator that leads to it",
                );
                self.find(Some(&walk.name), e);
            }
            _ => {}
        }
        if let Some(lower) = lower {
            let first = children[0].0.as_slice();
            if !first.is_empty() && first < lower {
                let e = error(
                    JET_errBadParentPageLink,
                    pgno,
                    "the branch page's first key is below the separator that leads to it",
                );
                self.find(Some(&walk.name), e);
            }
        }
        let parent_of_leaf = h.flags.is_parent_of_leaf();
        for index in 0..count {
            let child = children[index].1;
            let child_lower = if index == 0 {
                lower
            } else {
                Some(children[index - 1].0.as_slice())
            };
            let key = children[index].0.as_slice();
            let child_upper = if key.is_empty() { None } else { Some(key) };
            if child == pgno {
                walk.complete = false;
                let e = error(
                    JET_errBadParentPageLink,
                    pgno,
                    format!("node {index} links the page to itself"),
                );
                self.find(Some(&walk.name), e);
                continue;
            }
            let Some(seen) =
                self.visit(walk, child, depth + 1, Some(pgno), child_lower, child_upper)
            else {
                walk.chain_unknown = true;
                continue;
            };
            if parent_of_leaf != seen.leaf {
                let detail = if parent_of_leaf {
                    format!("the page is flagged parent-of-leaf, but its child page {child} is not a leaf")
                } else {
                    format!(
                        "child page {child} is a leaf, but the page is not flagged parent-of-leaf"
                    )
                };
                self.find(
                    Some(&walk.name),
                    error(JET_errBadParentPageLink, pgno, detail),
                );
            }
        }
    }
}
