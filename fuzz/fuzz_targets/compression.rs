//! `scheme_of`, `uncompressed_len` and `decompress` on arbitrary stored
//! values, and round trips of the encoders on arbitrary plain data.
//!
//! Input layout: the whole input is first a stored value, then (as plain
//! data) the input to the 7-bit and XPRESS encoders.

#![no_main]

use ese_format::compression::{
    compress_7bit_ascii, compress_7bit_unicode, compress_xpress, decompress, scheme_of,
    uncompressed_len,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = scheme_of(data);
    let length = uncompressed_len(data);
    if let Ok(plain) = decompress(data) {
        // Where the stored value states its length, decoding honours it.
        if let Ok(length) = length {
            assert_eq!(
                plain.len(),
                length,
                "decoded length differs from the stated one"
            );
        }
    }

    for encoded in [
        compress_7bit_ascii(data),
        compress_7bit_unicode(data),
        compress_xpress(data),
    ]
    .into_iter()
    .flatten()
    {
        let decoded = decompress(&encoded).expect("an encoder's output decodes");
        assert_eq!(decoded, data, "round trip changed the data");
    }
});
