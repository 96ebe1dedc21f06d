//! The whole read path on a small real database mutated at random: header
//! election, catalog (with its shadow fallback), every table's records,
//! long values and every index walked and sought. Any outcome but a panic
//! (or a hang, which libFuzzer reports as a timeout) is acceptable.
//!
//! The database is text.edb from the corpus, found through
//! `ESE_TEST_CORPUS` or `../../shared/testdata` beside the repository; it
//! holds records, long values, compression and indexes in 1 MiB.
//!
//! Input layout: a control byte, then mutations of 6 bytes each: a u32
//! offset into the database's written part, a byte to store, a byte to XOR
//! into the following byte. Control bit 0: re-stamp the checksum of every
//! mutated page so that the damage reaches the decoders past checksum
//! verification.

#![no_main]

use std::sync::OnceLock;

use ese::catalog::Catalog;
use ese::export::export_jsonl;
use ese::index::{IndexReader, SeekMode};
use ese::page_source::InMemoryDatabase;
use ese_format::checksum::{set_page_checksum, PageKind};
use ese_format_fuzz::Input;
use libfuzzer_sys::fuzz_target;

fn pristine() -> &'static Vec<u8> {
    static IMAGE: OnceLock<Vec<u8>> = OnceLock::new();
    IMAGE.get_or_init(|| {
        let dir = std::env::var_os("ESE_TEST_CORPUS")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/testdata")
            });
        let mut image = std::fs::read(dir.join("text.edb"))
            .expect("database_read needs the corpus (set ESE_TEST_CORPUS)");
        // Only the written pages matter; the rest of the file is zeros.
        let page_size = 4096;
        let written = image
            .chunks_exact(page_size)
            .rposition(|page| page.iter().any(|&b| b != 0))
            .map_or(0, |last| last + 1);
        image.truncate(written * page_size);
        image
    })
}

fuzz_target!(|data: &[u8]| {
    let mut input = Input::new(data);
    let control = input.u8();
    let mut image = pristine().clone();
    let page_size = 4096;
    let mut touched = Vec::new();
    for mutation in input.rest().chunks_exact(6) {
        let offset = u32::from_le_bytes([mutation[0], mutation[1], mutation[2], mutation[3]])
            as usize
            % image.len();
        image[offset] = mutation[4];
        if let Some(next) = image.get_mut(offset + 1) {
            *next ^= mutation[5];
        }
        touched.push(offset / page_size);
    }
    if control & 1 != 0 {
        for index in touched {
            let page = &mut image[index * page_size..(index + 1) * page_size];
            let _ = if index < 2 {
                set_page_checksum(page, PageKind::DatabaseHeader, 0)
            } else {
                set_page_checksum(page, PageKind::DatabasePage, index as u32 - 1)
            };
        }
    }

    let Ok(database) = InMemoryDatabase::new(image) else {
        return;
    };
    let Ok(catalog) = Catalog::load(&database) else {
        return;
    };
    let _ = export_jsonl(&database, &catalog, None, &mut std::io::sink());
    for table in &catalog.tables {
        for index in &table.indexes {
            let reader = IndexReader::new(&database, table, index);
            for row in reader.rows().take(50) {
                if row.is_err() {
                    break;
                }
            }
            for mode in [SeekMode::Equal, SeekMode::LessOrEqual, SeekMode::Greater] {
                let _ = reader.seek(&[0x7f, 0x80, 0, 0, 1], mode);
            }
        }
    }
});
