//! The split buffers of the space trees (ESE: SPLIT_BUFFER): pages set aside
//! in a tree root's header so that a split of an extent tree's own pages
//! never needs the space it is recording.

use super::*;

/// The two reserved extents at line 0 of a space-tree root.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct SplitBuffer {
    pub(super) slots: [(u32, u32); 2],
}

impl SplitBuffer {
    pub(super) fn decode(line: &[u8]) -> SplitBuffer {
        if line.len() != SPLIT_BUFFER_SIZE {
            return SplitBuffer::default();
        }
        let word = |i: usize| u32::from_le_bytes([line[i], line[i + 1], line[i + 2], line[i + 3]]);
        SplitBuffer {
            slots: [(word(0), word(4)), (word(8), word(12))],
        }
    }

    pub(super) fn encode(&self) -> [u8; SPLIT_BUFFER_SIZE] {
        let mut out = [0u8; SPLIT_BUFFER_SIZE];
        for (i, (last, count)) in self.slots.iter().enumerate() {
            let (last, count) = if *count == 0 { (0, 0) } else { (*last, *count) };
            out[i * 8..i * 8 + 4].copy_from_slice(&last.to_le_bytes());
            out[i * 8 + 4..i * 8 + 8].copy_from_slice(&count.to_le_bytes());
        }
        out
    }

    pub(super) fn total(&self) -> u32 {
        self.slots.iter().map(|s| s.1).sum()
    }

    /// How many contiguous pages to add so that the buffer holds `need`:
    /// with both slots in use, the smaller one's pages go back when new
    /// ones arrive (see `add_to_split_buffer`), so the new run must make
    /// up the need beside the larger slot alone. Adding the result in one
    /// run always reaches `need`, however fragmented the free space is.
    pub(super) fn shortfall(&self, need: u32) -> u32 {
        if self.total() >= need {
            0
        } else if self.slots.iter().any(|s| s.1 == 0) {
            need - self.total()
        } else {
            need - self.slots.iter().map(|s| s.1).max().unwrap_or(0)
        }
    }
}

/// Hands a space tree's split buffer out to its [`TreeWriter`]; pages the
/// tree gives back that the buffer cannot hold wait in `overflow`.
pub(super) struct SplitBufferAllocator {
    pub(super) buffer: SplitBuffer,
    pub(super) overflow: Vec<u32>,
}

impl PageAllocator for SplitBufferAllocator {
    fn allocate(&mut self) -> Result<u32> {
        for slot in self.buffer.slots.iter_mut() {
            if slot.1 > 0 {
                let page = slot.0 + 1 - slot.1;
                slot.1 -= 1;
                return Ok(page);
            }
        }
        Err(Error::new(JET_errSPAvailExtCorrupted)
            .with_detail("a space tree split found its split buffer empty"))
    }

    fn release(&mut self, page: u32) -> Result<()> {
        for slot in self.buffer.slots.iter_mut() {
            if slot.1 > 0 && page == slot.0 + 1 {
                *slot = (page, slot.1 + 1);
                return Ok(());
            }
            if slot.1 > 0 && page + slot.1 == slot.0 {
                slot.1 += 1;
                return Ok(());
            }
        }
        if let Some(slot) = self.buffer.slots.iter_mut().find(|s| s.1 == 0) {
            *slot = (page, 1);
            return Ok(());
        }
        self.overflow.push(page);
        Ok(())
    }
}

impl SpaceManager {
    pub(super) fn split_buffer(&self, tree_root: u32) -> Result<SplitBuffer> {
        let page = self.cache.read(self.id(tree_root))?;
        let parsed = Page::parse_trusted(page.bytes(), tree_root)?;
        Ok(SplitBuffer::decode(parsed.line(0).unwrap_or(&[])))
    }

    /// Pages a split of the space tree at `tree_root` can take (ESE:
    /// cpgMaxRootPageSplit, cpgMaxParentOfLeafRootSplit,
    /// cpgMaxSpaceTreeSplit).
    pub(super) fn pages_for_split(&self, tree: Tree) -> Result<u32> {
        let page = self.cache.read(self.id(tree.root))?;
        // A cached page, checked when it was read (parse_trusted): the
        // space paths run at every page allocation.
        let parsed = Page::parse_trusted(page.bytes(), tree.root)?;
        let flags = parsed.header().flags;
        if flags.is_leaf() {
            let free = usize::from(parsed.header().free_bytes);
            return Ok(if free < 100 { 2 } else { 0 });
        }
        if flags.contains(PageFlags::PARENT_OF_LEAF) {
            return Ok(3);
        }
        // One page per level below the root, and two for the root.
        let mut depth = 1;
        let source = self.source();
        let mut number = tree.root;
        loop {
            let bytes = source_page(&source, number)?;
            let parsed = Page::parse_trusted(&bytes, number)?;
            if parsed.header().flags.is_leaf() || depth > 16 {
                break;
            }
            let child = ese_format::node::node(&parsed, 0)?.child_page()?;
            number = child;
            depth += 1;
        }
        Ok((depth + 1).max(4))
    }

    /// Puts pages `first..first+count` (owned by `fdp`, in use by nothing)
    /// into the split buffer of the space tree rooted at `tree_root`.
    pub(super) fn add_to_split_buffer(
        &mut self,
        fdp: u32,
        tree_root: u32,
        first: u32,
        count: u32,
    ) -> Result<()> {
        let mut buffer = self.split_buffer(tree_root)?;
        let last = first + count - 1;
        let slot = if let Some(i) = buffer
            .slots
            .iter()
            .position(|s| s.1 > 0 && s.0 + 1 == first)
        {
            buffer.slots[i] = (last, buffer.slots[i].1 + count);
            None
        } else if let Some(i) = buffer.slots.iter().position(|s| s.1 == 0) {
            Some(i)
        } else {
            // Both slots hold pages: the smaller one's go back to the
            // available extents.
            let i = if buffer.slots[0].1 <= buffer.slots[1].1 {
                0
            } else {
                1
            };
            let (old_last, old_count) = buffer.slots[i];
            for page in old_last + 1 - old_count..=old_last {
                self.deferred.push((fdp, page));
            }
            Some(i)
        };
        if let Some(i) = slot {
            buffer.slots[i] = (last, count);
        }
        self.set_line0(tree_root, &buffer.encode())
    }
}
