//! Helpers shared by the fuzz targets: reading control values off the front
//! of an input and turning the rest into a page of a valid size.

use ese_format::checksum::PAGE_SIZES;

/// Reads little-endian values from the front of a fuzz input. Reads past the
/// end yield zeros, so every input is usable whatever its length.
pub struct Input<'a> {
    data: &'a [u8],
}

impl<'a> Input<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Input { data }
    }

    fn take<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        let n = N.min(self.data.len());
        out[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        out
    }

    /// True when every byte has been taken.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    pub fn u8(&mut self) -> u8 {
        self.take::<1>()[0]
    }

    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes(self.take())
    }

    pub fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.take())
    }

    pub fn u64(&mut self) -> u64 {
        u64::from_le_bytes(self.take())
    }

    /// Everything not read yet.
    pub fn rest(self) -> &'a [u8] {
        self.data
    }
}

/// One of the five page sizes, chosen by `selector`.
pub fn page_size_from(selector: u8) -> usize {
    PAGE_SIZES[usize::from(selector) % PAGE_SIZES.len()]
}

/// A page of exactly `size` bytes made from `body`: cut when longer, padded
/// with zeros when shorter.
///
/// With `split_tail`, a short body is split in two and its second half goes
/// to the very end of the page, so that inputs much shorter than a 16 or
/// 32 KiB page still control the tag array and the last checksum block.
pub fn fit_page(body: &[u8], size: usize, split_tail: bool) -> Vec<u8> {
    let mut page = vec![0u8; size];
    if body.len() >= size {
        page.copy_from_slice(&body[..size]);
    } else if split_tail {
        let (head, tail) = body.split_at(body.len() / 2);
        page[..head.len()].copy_from_slice(head);
        page[size - tail.len()..].copy_from_slice(tail);
    } else {
        page[..body.len()].copy_from_slice(body);
    }
    page
}
