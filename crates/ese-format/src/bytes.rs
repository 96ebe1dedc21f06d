//! Little-endian cursors over byte slices, used by every codec.
//!
//! Reads past the end never panic: they yield zeros and set `overrun`, which
//! the decoder checks once at the end. This keeps decoders total without a
//! bounds check at every field.

pub(crate) struct LeReader<'a> {
    bytes: &'a [u8],
    position: usize,
    overrun: bool,
}

impl<'a> LeReader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        LeReader {
            bytes,
            position: 0,
            overrun: false,
        }
    }

    pub(crate) fn array<const N: usize>(&mut self) -> [u8; N] {
        let end = self.position.saturating_add(N);
        let mut out = [0u8; N];
        match self.bytes.get(self.position..end) {
            Some(slice) => out.copy_from_slice(slice),
            None => self.overrun = true,
        }
        self.position = end;
        out
    }

    pub(crate) fn u8(&mut self) -> u8 {
        self.array::<1>()[0]
    }

    pub(crate) fn u16(&mut self) -> u16 {
        u16::from_le_bytes(self.array())
    }

    pub(crate) fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.array())
    }

    pub(crate) fn i32(&mut self) -> i32 {
        i32::from_le_bytes(self.array())
    }

    pub(crate) fn u64(&mut self) -> u64 {
        u64::from_le_bytes(self.array())
    }

    pub(crate) fn position(&self) -> usize {
        self.position
    }

    /// True when some read went past the end of the input.
    pub(crate) fn overrun(&self) -> bool {
        self.overrun
    }
}

/// The writing twin of [`LeReader`]: writes past the end are dropped and
/// flagged, never a panic.
pub(crate) struct LeWriter<'a> {
    bytes: &'a mut [u8],
    position: usize,
    overrun: bool,
}

impl<'a> LeWriter<'a> {
    pub(crate) fn new(bytes: &'a mut [u8]) -> Self {
        LeWriter {
            bytes,
            position: 0,
            overrun: false,
        }
    }

    pub(crate) fn bytes(&mut self, data: &[u8]) {
        let end = self.position.saturating_add(data.len());
        match self.bytes.get_mut(self.position..end) {
            Some(slice) => slice.copy_from_slice(data),
            None => self.overrun = true,
        }
        self.position = end;
    }

    pub(crate) fn u8(&mut self, value: u8) {
        self.bytes(&[value]);
    }

    pub(crate) fn u16(&mut self, value: u16) {
        self.bytes(&value.to_le_bytes());
    }

    pub(crate) fn u32(&mut self, value: u32) {
        self.bytes(&value.to_le_bytes());
    }

    pub(crate) fn i32(&mut self, value: i32) {
        self.bytes(&value.to_le_bytes());
    }

    pub(crate) fn u64(&mut self, value: u64) {
        self.bytes(&value.to_le_bytes());
    }

    pub(crate) fn position(&self) -> usize {
        self.position
    }

    pub(crate) fn overrun(&self) -> bool {
        self.overrun
    }
}

/// Reads a little-endian u32 at `offset`, or `None` past the end.
#[inline]
pub(crate) fn u32_at(bytes: &[u8], offset: usize) -> Option<u32> {
    let slice = bytes.get(offset..offset.checked_add(4)?)?;
    Some(u32::from_le_bytes(slice.try_into().ok()?))
}

/// Reads a little-endian u16 at `offset`, or `None` past the end.
#[inline]
pub(crate) fn u16_at(bytes: &[u8], offset: usize) -> Option<u16> {
    let slice = bytes.get(offset..offset.checked_add(2)?)?;
    Some(u16::from_le_bytes(slice.try_into().ok()?))
}
