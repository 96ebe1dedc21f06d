//! `esentutl demo [DIR]`: the tool's main job on a database it makes
//! itself, so it runs on any machine without a database at hand.
//!
//! Through the ISAM API it creates `demo.edb`, a small lending library:
//! `authors`, `books` and `loans`, with an autoincrement primary key each,
//! a unique Unicode name index, a multi-valued tag column and its index,
//! long summaries (some stored in the long-value tree), a descending year
//! index and a conditional index over out-of-print books. It fills them
//! with a few thousand records from a fixed seed, runs index seeks and
//! range scans and prints what they find, then shows the database as the
//! other commands would (`info`, `check`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use ese::api::grbit::*;
use ese::api::*;
use ese::codes::*;
use ese::format::constants::*;
use ese::Result;

use crate::say;

/// The demo database's name inside its directory.
const DEMO_FILE: &str = "demo.edb";
const AUTHORS: usize = 200;
const BOOKS: usize = 3000;
const LOANS: usize = 2000;
const TAGS: [&str; 8] = [
    "poetry", "history", "science", "novel", "travel", "children", "drama", "essays",
];

/// Runs the demo in `directory`, or in a new directory under the system's
/// temporary directory. An existing `demo.edb` there is replaced: it is the
/// demo's own file.
pub fn run(directory: Option<&Path>, page_size: usize) -> Result<ExitCode> {
    let directory = match directory {
        Some(directory) => directory.to_path_buf(),
        None => default_directory(),
    };
    std::fs::create_dir_all(&directory).map_err(|error| demo_io_error(&directory, error))?;
    let file = directory.join(DEMO_FILE);
    match std::fs::remove_file(&file) {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(demo_io_error(&file, error)),
    }
    say!("== esentutl demo: {}", file.display());
    let started = Instant::now();
    {
        let mut options = InstanceOptions {
            page_size,
            ..InstanceOptions::new(directory.join("system"))
        };
        // Generations of 1 MiB (JET_paramLogFileSize 1024), so that the
        // demo's log spans several, as a long-running instance's does, and
        // `dump-log` has full generations to show.
        options.log.log_file_size_kib = 1024;
        let instance = Instance::new(options)?;
        let session = instance.begin_session()?;
        let dbid = session.create_database(&file, 0)?;
        let mut library = Library::create(&session, dbid)?;
        library.fill()?;
        say!(
            "created and filled in {:.2} s: {AUTHORS} authors, {BOOKS} books, {LOANS} loans",
            started.elapsed().as_secs_f64()
        );
        library.queries()?;
        library.return_loans()?;
        drop(library);
        life_cycle(&instance, &session, dbid)?;
        session.close_database(dbid, 0)?;
        session.end()?;
        let ended = Instant::now();
        instance.term2(JET_bitTermComplete)?;
        say!(
            "JetTerm2(JET_bitTermComplete): {:.1} ms; the database is in clean shutdown",
            ended.elapsed().as_secs_f64() * 1000.0
        );
    }
    say!("\n== esentutl info {}", file.display());
    crate::info::run(&file)?;
    say!("\n== esentutl check {}", file.display());
    crate::check::run(&file, false)
}

/// The instance's life cycle on the filled library: online
/// defragmentation of the tables the returned loans thinned, then
/// JetStopService, which stops background work, flushes the cache and
/// refuses further calls, before the caller's JetTerm.
fn life_cycle(instance: &Instance, session: &Session, dbid: DbId) -> Result<()> {
    say!("\n== the instance's life cycle");
    let started = Instant::now();
    session.defragment(dbid, None, 0, 0, JET_bitDefragmentBatchStart)?;
    let progress = loop {
        let progress = session.defragment_progress(dbid)?;
        if !progress.running {
            break progress;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    if let Some(error) = progress.error {
        say!("online defragmentation failed: {error}");
    }
    say!(
        "JetDefragment (online, {} pass(es)): {} pages freed in {:.1} ms",
        progress.passes,
        progress.pages_freed,
        started.elapsed().as_secs_f64() * 1000.0
    );
    let before = instance.statistics();
    instance.stop_service_instance()?;
    let started = Instant::now();
    let after = loop {
        let stats = instance.statistics();
        let quiet = stats.dirty_pages == 0 && stats.checkpoint == stats.log_end;
        if quiet || started.elapsed().as_secs() >= 10 {
            break stats;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    say!(
        "JetStopServiceInstance: {} dirty pages written in {:.1} ms, checkpoint {} log bytes \
         behind the end (was {})",
        before.dirty_pages,
        started.elapsed().as_secs_f64() * 1000.0,
        after.checkpoint_depth,
        before.checkpoint_depth
    );
    match session.begin_transaction() {
        Err(error) => say!("then JetBeginTransaction: {error}"),
        Ok(()) => say!("then JetBeginTransaction succeeded, which it should not"),
    }
    Ok(())
}

fn default_directory() -> PathBuf {
    std::env::temp_dir().join(format!("esentutl-demo-{}", std::process::id()))
}

fn demo_io_error(path: &Path, error: std::io::Error) -> ese::Error {
    ese::io::jet_error_from_io(&error)
        .with_file(path)
        .with_operation("demo")
}

/// A fixed pseudo-random sequence (splitmix64), so every run builds the
/// same library.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn utf16(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn from_utf16(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16_lossy(&units)
}

fn column(name: &str, coltyp: u32, grbit: u32) -> ColumnCreate {
    ColumnCreate::new(name, coltyp, grbit)
}

fn unicode(name: &str, coltyp: u32, grbit: u32) -> ColumnCreate {
    ColumnCreate {
        code_page: 1200,
        ..ColumnCreate::new(name, coltyp, grbit)
    }
}

/// Column ids by table.
struct Library {
    authors: Cursor,
    books: Cursor,
    loans: Cursor,
    author: [u32; 4],
    book: [u32; 7],
    loan: [u32; 4],
    dice: Dice,
}

impl Library {
    fn create(session: &Session, dbid: DbId) -> Result<Self> {
        let mut authors = TableCreate {
            name: "authors".into(),
            columns: vec![
                column("Id", JET_coltypLong, JET_bitColumnAutoincrement),
                unicode("Name", JET_coltypText, JET_bitColumnNotNULL),
                column("Country", JET_coltypText, 0),
                column("Born", JET_coltypShort, 0),
            ],
            indexes: vec![
                IndexCreate::new("PrimaryKey", "+Id\0\0", JET_bitIndexPrimary),
                IndexCreate::new("ByName", "+Name\0\0", JET_bitIndexUnique),
                IndexCreate::new("ByCountry", "+Country\0+Born\0\0", JET_bitIndexIgnoreNull),
            ],
            ..Default::default()
        };
        let mut books = TableCreate {
            name: "books".into(),
            columns: vec![
                column("Id", JET_coltypLong, JET_bitColumnAutoincrement),
                column("AuthorId", JET_coltypLong, JET_bitColumnNotNULL),
                unicode("Title", JET_coltypText, JET_bitColumnNotNULL),
                column("Year", JET_coltypShort, 0),
                column("Tags", JET_coltypText, JET_bitColumnMultiValued),
                unicode("Summary", JET_coltypLongText, JET_bitColumnCompressed),
                column("OutOfPrint", JET_coltypBit, JET_bitColumnTagged),
            ],
            indexes: vec![
                IndexCreate::new("PrimaryKey", "+Id\0\0", JET_bitIndexPrimary),
                IndexCreate::new("ByAuthor", "+AuthorId\0+Year\0\0", 0),
                IndexCreate::new("ByYear", "-Year\0+Title\0\0", JET_bitIndexIgnoreAnyNull),
                IndexCreate::new("ByTag", "+Tags\0\0", JET_bitIndexIgnoreAnyNull),
                IndexCreate {
                    conditional_columns: vec![ConditionalColumn {
                        name: "OutOfPrint".into(),
                        grbit: JET_bitIndexColumnMustBeNonNull,
                    }],
                    ..IndexCreate::new("OutOfPrint", "+Year\0\0", 0)
                },
            ],
            ..Default::default()
        };
        let mut loans = TableCreate {
            name: "loans".into(),
            columns: vec![
                column("Id", JET_coltypLong, JET_bitColumnAutoincrement),
                column("BookId", JET_coltypLong, JET_bitColumnNotNULL),
                unicode("Borrower", JET_coltypText, 0),
                column("Due", JET_coltypDateTime, 0),
            ],
            indexes: vec![
                IndexCreate::new("PrimaryKey", "+Id\0\0", JET_bitIndexPrimary),
                IndexCreate::new("ByBook", "+BookId\0-Due\0\0", 0),
            ],
            ..Default::default()
        };
        let authors_cursor = session.create_table_column_index(dbid, &mut authors)?;
        let books_cursor = session.create_table_column_index(dbid, &mut books)?;
        let loans_cursor = session.create_table_column_index(dbid, &mut loans)?;
        let ids = |create: &TableCreate, i: usize| create.columns[i].column_id;
        Ok(Library {
            author: [0, 1, 2, 3].map(|i| ids(&authors, i)),
            book: [0, 1, 2, 3, 4, 5, 6].map(|i| ids(&books, i)),
            loan: [0, 1, 2, 3].map(|i| ids(&loans, i)),
            authors: authors_cursor,
            books: books_cursor,
            loans: loans_cursor,
            dice: Dice(0x5eed),
        })
    }

    fn fill(&mut self) -> Result<()> {
        const FIRST: [&str; 10] = [
            "Ada", "Bram", "Chloé", "Dmitri", "Eunji", "Farah", "Gustav", "Hana", "Ígor", "Júlia",
        ];
        const LAST: [&str; 20] = [
            "Alvarez",
            "Bergström",
            "Chen",
            "Dubois",
            "Eriksen",
            "Fujita",
            "García",
            "Horvat",
            "Ivanova",
            "Jensen",
            "Kowalski",
            "Lindqvist",
            "Moreau",
            "Nakamura",
            "Okafor",
            "Petrov",
            "Quinn",
            "Rossi",
            "Schmidt",
            "Tanaka",
        ];
        const COUNTRIES: [&str; 6] = ["FR", "JP", "NG", "PL", "SE", "US"];
        for i in 0..AUTHORS {
            let name = format!("{} {}", FIRST[i % 10], LAST[i / 10]);
            let c = &mut self.authors;
            c.prepare_update(JET_prepInsert)?;
            c.set_column(self.author[1], Some(&utf16(&name)), 0, None)?;
            let country = COUNTRIES[self.dice.below(COUNTRIES.len())];
            c.set_column(self.author[2], Some(country.as_bytes()), 0, None)?;
            let born = 1800 + self.dice.below(200) as i16;
            c.set_column(self.author[3], Some(&born.to_le_bytes()), 0, None)?;
            c.update()?;
        }
        for i in 0..BOOKS {
            let c = &mut self.books;
            // Each book in a transaction of its own: a long summary is
            // stored apart from its record, which ESE does only inside one.
            let session = c.session().clone();
            session.begin_transaction()?;
            c.prepare_update(JET_prepInsert)?;
            let author = 1 + self.dice.below(AUTHORS) as i32;
            c.set_column(self.book[1], Some(&author.to_le_bytes()), 0, None)?;
            let title = format!("Volume {i} of {}", TAGS[i % TAGS.len()]);
            c.set_column(self.book[2], Some(&utf16(&title)), 0, None)?;
            let year = 1850 + self.dice.below(175) as i16;
            c.set_column(self.book[3], Some(&year.to_le_bytes()), 0, None)?;
            for _ in 0..1 + self.dice.below(3) {
                let tag = TAGS[self.dice.below(TAGS.len())];
                let info = SetInfo {
                    ib_long_value: 0,
                    itag_sequence: 0,
                };
                // Unique values: a repeated tag is refused and skipped.
                match c.set_column(
                    self.book[4],
                    Some(tag.as_bytes()),
                    JET_bitSetUniqueMultiValues,
                    Some(info),
                ) {
                    Err(e) if e.code() == JET_errMultiValuedDuplicate => {}
                    other => {
                        other?;
                    }
                }
            }
            // Every tenth book has a long summary (stored apart from its
            // record); the others a short one.
            let repeat = if i % 10 == 0 { 120 } else { 2 };
            let summary = format!("{title} tells of {}. ", TAGS[i % 8]).repeat(repeat);
            c.set_column(self.book[5], Some(&utf16(&summary)), 0, None)?;
            if self.dice.below(7) == 0 {
                c.set_column(self.book[6], Some(&[1]), 0, None)?;
            }
            c.update()?;
            // Lazily: the demo needs no fsync per book; the instance's
            // end makes everything durable.
            session.commit_transaction(JET_bitCommitLazyFlush)?;
        }
        for i in 0..LOANS {
            let c = &mut self.loans;
            c.prepare_update(JET_prepInsert)?;
            let book = 1 + self.dice.below(BOOKS) as i32;
            c.set_column(self.loan[1], Some(&book.to_le_bytes()), 0, None)?;
            let borrower = format!("Reader {}", i % 97);
            c.set_column(self.loan[2], Some(&utf16(&borrower)), 0, None)?;
            let due = 46_000.0 + self.dice.below(400) as f64;
            c.set_column(self.loan[3], Some(&due.to_le_bytes()), 0, None)?;
            c.update()?;
        }
        Ok(())
    }

    /// Most loans come back: their records go, leaving the loans table's
    /// pages thin for the online defragmentation to merge.
    fn return_loans(&mut self) -> Result<()> {
        let loans = &mut self.loans;
        loans.set_current_index(None, 0)?;
        let mut returned = 0;
        let mut more = loans.move_(JET_MoveFirst, 0).is_ok();
        let mut n = 0;
        while more {
            if n % 3 != 0 {
                loans.delete()?;
                returned += 1;
            }
            n += 1;
            more = loans.move_(JET_MoveNext, 0).is_ok();
        }
        say!("\n{returned} of {n} loans returned (deleted)");
        Ok(())
    }

    fn queries(&mut self) -> Result<()> {
        // 1. An equality seek on a unique Unicode index.
        let name = "Hana Moreau";
        let authors = &mut self.authors;
        authors.set_current_index(Some("ByName"), 0)?;
        authors.make_key(&utf16(name), JET_bitNewKey)?;
        authors.seek(JET_bitSeekEQ)?;
        let id = long(authors.retrieve(self.author[0], 0)?);
        let country = text(authors.retrieve(self.author[2], 0)?);
        say!("\nseek ByName = {name:?}: author {id} ({country})");

        // 2. A range scan: that author's books, by year.
        let books = &mut self.books;
        books.set_current_index(Some("ByAuthor"), 0)?;
        books.make_key(&id.to_le_bytes(), JET_bitNewKey)?;
        let mut titles = Vec::new();
        if books.seek(JET_bitSeekEQ | JET_bitSetIndexRange).is_ok() {
            loop {
                let year = short(books.retrieve(self.book[3], 0)?);
                let title = from_utf16(&books.retrieve(self.book[2], 0)?.unwrap_or_default());
                titles.push(format!("{year} {title}"));
                if books.move_(JET_MoveNext, 0).is_err() {
                    break;
                }
            }
        }
        say!("range ByAuthor = {id}: {} books", titles.len());
        for title in titles.iter().take(5) {
            say!("  {title}");
        }

        // 3. Descending years: the books of 1950 down to 1940.
        books.set_current_index(Some("ByYear"), 0)?;
        books.make_key(&1950i16.to_le_bytes(), JET_bitNewKey)?;
        books.seek(JET_bitSeekGE)?;
        books.make_key(
            &1940i16.to_le_bytes(),
            JET_bitNewKey | JET_bitFullColumnEndLimit,
        )?;
        books.set_index_range(JET_bitRangeUpperLimit | JET_bitRangeInclusive)?;
        let in_range = books.index_record_count(0)?;
        let newest = short(books.retrieve(self.book[3], 0)?);
        say!("range ByYear 1950 down to 1940: {in_range} books, the first from {newest}");

        // 4. A multi-valued index: one entry per tag.
        books.set_current_index(Some("ByTag"), 0)?;
        let entries = books.index_record_count(0)?;
        books.make_key(b"poetry", JET_bitNewKey)?;
        books.seek(JET_bitSeekEQ | JET_bitSetIndexRange)?;
        let poetry = books.index_record_count(0)?;
        say!("index ByTag: {entries} entries; {poetry} books tagged \"poetry\"");

        // 5. A conditional index: only out-of-print books are in it.
        books.set_current_index(Some("OutOfPrint"), 0)?;
        let out_of_print = books.index_record_count(0)?;
        say!("conditional index OutOfPrint: {out_of_print} of {BOOKS} books");

        // 6. A long value read back in pieces.
        books.set_current_index(None, 0)?;
        books.make_key(&1i32.to_le_bytes(), JET_bitNewKey)?;
        books.seek(JET_bitSeekEQ)?;
        let mut buffer = [0u8; 40];
        let got = books.retrieve_column(self.book[5], &mut buffer, 0, None)?;
        say!(
            "book 1 summary: {} bytes (first 20 characters {:?}, warning {})",
            got.actual_size,
            from_utf16(&buffer),
            got.warning
        );

        // 7. The latest loans of one book.
        let loans = &mut self.loans;
        loans.set_current_index(Some("ByBook"), 0)?;
        let book = 42i32;
        loans.make_key(&book.to_le_bytes(), JET_bitNewKey)?;
        let count = match loans.seek(JET_bitSeekEQ | JET_bitSetIndexRange) {
            Ok(_) => loans.index_record_count(0)?,
            Err(e) if e.code() == JET_errRecordNotFound => 0,
            Err(e) => return Err(e),
        };
        say!("range ByBook = {book}: {count} loans");
        Ok(())
    }
}

fn long(bytes: Option<Vec<u8>>) -> i32 {
    bytes
        .and_then(|b| b.try_into().ok())
        .map_or(0, i32::from_le_bytes)
}

fn short(bytes: Option<Vec<u8>>) -> i16 {
    bytes
        .and_then(|b| b.try_into().ok())
        .map_or(0, i16::from_le_bytes)
}

fn text(bytes: Option<Vec<u8>>) -> String {
    String::from_utf8_lossy(&bytes.unwrap_or_default()).into_owned()
}
