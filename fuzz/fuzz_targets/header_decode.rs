//! `DatabaseHeader::decode` on arbitrary bytes; whatever decodes must encode
//! back to the same bytes and decode again to the same value.

#![no_main]

use ese_format::header::{DatabaseHeader, HEADER_SIZE};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let header = match DatabaseHeader::decode(data) {
        Ok(header) => header,
        Err(error) => {
            // Only the length is checked by decode.
            assert!(
                data.len() < HEADER_SIZE,
                "decode refused {} bytes: {error}",
                data.len()
            );
            let _ = error.to_string();
            return;
        }
    };

    // Round trip through a buffer of the input's length.
    let mut buffer = vec![0u8; data.len()];
    header
        .encode(&mut buffer)
        .expect("a decoded header encodes into a buffer of the input's length");
    assert_eq!(
        buffer[..HEADER_SIZE],
        data[..HEADER_SIZE],
        "encode(decode(bytes)) differs from the bytes"
    );
    assert!(
        buffer[HEADER_SIZE..].iter().all(|&b| b == 0),
        "encode wrote past the header"
    );
    let again = DatabaseHeader::decode(&buffer).expect("an encoded header decodes");
    assert_eq!(again, header, "decode(encode(header)) != header");

    // A buffer too short for the header is refused, not overrun.
    let mut short = vec![0u8; data.len() % HEADER_SIZE];
    assert!(header.encode(&mut short).is_err());

    // Accessors and formatting of every field must not panic.
    if let Err(error) = header.validate() {
        let _ = error.to_string();
    }
    let _ = header.effective_page_size();
    let _ = header.shadowing_disabled();
    let _ = format!(
        "{header:?} {} {} {} {} {}",
        header.db_signature,
        header.log_signature,
        header.consistent_position,
        header.consistent_time,
        header.previous_full_backup.mark
    );
});
