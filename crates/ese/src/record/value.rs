//! Column values decoded from their stored bytes by column type.

use ese_format::constants::*;

use crate::codes::*;
use crate::{Error, Result};

/// One value of a column, typed.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Bit(bool),
    UnsignedByte(u8),
    Short(i16),
    Long(i32),
    /// The raw 64-bit integer (ten-thousandths of a currency unit).
    Currency(i64),
    IEEESingle(f32),
    IEEEDouble(f64),
    /// An OLE Automation date: days since 1899-12-30, fraction = time of day.
    DateTime(f64),
    UnsignedLong(u32),
    LongLong(i64),
    UnsignedLongLong(u64),
    /// Sixteen bytes in Windows GUID layout (first three groups little-endian).
    Guid([u8; 16]),
    UnsignedShort(u16),
    Binary(Vec<u8>),
    Text(String),
}

fn fixed<const N: usize>(coltyp: u32, bytes: &[u8]) -> Result<[u8; N]> {
    bytes.try_into().map_err(|_| {
        Error::new(JET_errDatabaseCorrupted).with_detail(format!(
            "a {} value of {} bytes ({N} expected)",
            column_type_name(coltyp).unwrap_or("?"),
            bytes.len()
        ))
    })
}

/// Decodes `bytes` as a value of column type `coltyp`; text uses `code_page`.
pub fn decode_value(coltyp: u32, code_page: u32, bytes: &[u8]) -> Result<Value> {
    Ok(match coltyp {
        JET_coltypBit => Value::Bit(fixed::<1>(coltyp, bytes)?[0] != 0),
        JET_coltypUnsignedByte => Value::UnsignedByte(fixed::<1>(coltyp, bytes)?[0]),
        JET_coltypShort => Value::Short(i16::from_le_bytes(fixed(coltyp, bytes)?)),
        JET_coltypLong => Value::Long(i32::from_le_bytes(fixed(coltyp, bytes)?)),
        JET_coltypCurrency => Value::Currency(i64::from_le_bytes(fixed(coltyp, bytes)?)),
        JET_coltypIEEESingle => Value::IEEESingle(f32::from_le_bytes(fixed(coltyp, bytes)?)),
        JET_coltypIEEEDouble => Value::IEEEDouble(f64::from_le_bytes(fixed(coltyp, bytes)?)),
        JET_coltypDateTime => Value::DateTime(f64::from_le_bytes(fixed(coltyp, bytes)?)),
        JET_coltypUnsignedLong => Value::UnsignedLong(u32::from_le_bytes(fixed(coltyp, bytes)?)),
        JET_coltypLongLong => Value::LongLong(i64::from_le_bytes(fixed(coltyp, bytes)?)),
        JET_coltypUnsignedLongLong => {
            Value::UnsignedLongLong(u64::from_le_bytes(fixed(coltyp, bytes)?))
        }
        JET_coltypGUID => Value::Guid(fixed(coltyp, bytes)?),
        JET_coltypUnsignedShort => Value::UnsignedShort(u16::from_le_bytes(fixed(coltyp, bytes)?)),
        JET_coltypBinary | JET_coltypLongBinary => Value::Binary(bytes.to_vec()),
        JET_coltypText | JET_coltypLongText => Value::Text(decode_text(code_page, bytes)),
        other => {
            return Err(Error::new(JET_errInvalidColumnType)
                .with_detail(format!("column type {other} has no values")))
        }
    })
}

/// Decodes text stored in `code_page`, dropping trailing NUL characters.
/// UTF-16 text of odd length reads its last byte as if followed by zero.
pub fn decode_text(code_page: u32, bytes: &[u8]) -> String {
    let text = match code_page {
        1200 => {
            let units: Vec<u16> = bytes
                .chunks(2)
                .map(|pair| u16::from_le_bytes([pair[0], pair.get(1).copied().unwrap_or(0)]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        20127 => bytes
            .iter()
            .map(|&b| {
                if b < 0x80 {
                    char::from(b)
                } else {
                    char::REPLACEMENT_CHARACTER
                }
            })
            .collect(),
        // Windows-1252, also used for the catalog's names and for code
        // pages this reader does not know (their ASCII range is the same).
        _ => bytes.iter().map(|&b| windows_1252(b)).collect(),
    };
    text.trim_end_matches('\0').to_string()
}

/// Encodes text in `code_page`; characters the code page lacks become '?'.
pub fn encode_text(code_page: u32, text: &str) -> Vec<u8> {
    match code_page {
        1200 => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        20127 => text
            .chars()
            .map(|c| if c.is_ascii() { c as u8 } else { b'?' })
            .collect(),
        _ => text
            .chars()
            .map(|c| (0u8..=255).find(|&b| windows_1252(b) == c).unwrap_or(b'?'))
            .collect(),
    }
}

/// One byte of Windows-1252. Only 0x80..=0x9F differ from Latin-1.
fn windows_1252(byte: u8) -> char {
    const HIGH: [u16; 32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ];
    match byte {
        0x80..=0x9f => char::from_u32(u32::from(HIGH[usize::from(byte - 0x80)]))
            .unwrap_or(char::REPLACEMENT_CHARACTER),
        _ => char::from(byte),
    }
}

impl Value {
    /// The value as an application passes it to the JET API (JetSetColumn,
    /// JetMakeKey): little-endian numbers, text in the column's code page.
    pub fn to_bytes(&self, code_page: u32) -> Vec<u8> {
        match self {
            Value::Bit(b) => vec![if *b { 0xff } else { 0 }],
            Value::UnsignedByte(v) => vec![*v],
            Value::Short(v) => v.to_le_bytes().to_vec(),
            Value::Long(v) => v.to_le_bytes().to_vec(),
            Value::Currency(v) | Value::LongLong(v) => v.to_le_bytes().to_vec(),
            Value::IEEESingle(v) => v.to_le_bytes().to_vec(),
            Value::IEEEDouble(v) | Value::DateTime(v) => v.to_le_bytes().to_vec(),
            Value::UnsignedLong(v) => v.to_le_bytes().to_vec(),
            Value::UnsignedLongLong(v) => v.to_le_bytes().to_vec(),
            Value::UnsignedShort(v) => v.to_le_bytes().to_vec(),
            Value::Guid(bytes) => bytes.to_vec(),
            Value::Binary(bytes) => bytes.clone(),
            Value::Text(text) => encode_text(code_page, text),
        }
    }

    /// The GUID as `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
    pub fn guid_string(bytes: &[u8; 16]) -> String {
        let d1 = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        let d2 = u16::from_le_bytes([bytes[4], bytes[5]]);
        let d3 = u16::from_le_bytes([bytes[6], bytes[7]]);
        let tail: String = bytes[8..].iter().map(|b| format!("{b:02x}")).collect();
        format!("{d1:08x}-{d2:04x}-{d3:04x}-{}-{}", &tail[..4], &tail[4..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_decoding_by_code_page() {
        assert_eq!(decode_text(1252, b"caf\xe9 \x80\0\0"), "café €");
        assert_eq!(
            decode_text(1200, &[0x41, 0, 0x3e, 0xd8, 0x8a, 0xdd, 0, 0]),
            "A🦊"
        );
        // A 255-byte UTF-16 field: the odd last byte reads as if padded.
        assert_eq!(decode_text(1200, &[0x41, 0, 0x20]), "A ");
        assert_eq!(decode_text(20127, b"abc"), "abc");
    }

    #[test]
    fn fixed_types_decode_little_endian() {
        assert_eq!(
            decode_value(JET_coltypShort, 0, &[0xc7, 0xfa]).unwrap(),
            Value::Short(-1337)
        );
        assert_eq!(
            decode_value(JET_coltypBit, 0, &[0xff]).unwrap(),
            Value::Bit(true)
        );
        assert!(decode_value(JET_coltypLong, 0, &[1, 2]).is_err());
        let guid = [
            0xf1, 0x0a, 0x36, 0x3f, 0x66, 0x67, 0xdc, 0x46, 0x9a, 0xf2, 0x0d, 0xac, 0xf2, 0x95,
            0xc2, 0xa1,
        ];
        assert_eq!(
            Value::guid_string(&guid),
            "3f360af1-6766-46dc-9af2-0dacf295c2a1"
        );
    }
}
