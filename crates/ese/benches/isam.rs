//! ISAM API figures for docs/PERFORMANCE.md: a realistic 10-column table
//! with two secondary indexes, filled with COUNT records (1,000,000 by
//! default) through JetPrepareUpdate / JetSetColumn / JetUpdate; random
//! point seeks on the primary and on a secondary index, each retrieving a
//! column; a range scan on the secondary index; and a full scan in primary
//! order retrieving every column. Run with
//! `cargo bench -p ese --bench isam` (COUNT=n for another record count).

use std::time::Instant;

use ese::api::grbit::*;
use ese::api::*;
use ese::format::constants::*;

fn shuffled(count: u32) -> Vec<u32> {
    let mut order: Vec<u32> = (0..count).collect();
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for i in (1..order.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        order.swap(i, (state % (i as u64 + 1)) as usize);
    }
    order
}

fn utf16(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn email(n: u32) -> String {
    format!(
        "user{:08}@example.com",
        n.wrapping_mul(2_654_435_761) % 100_000_000
    )
}

fn main() {
    let count: u32 = std::env::var("COUNT")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(1_000_000);
    let dir = ese_testkit::scratch_dir();
    let path = dir.path().join("isam.edb");
    let instance = Instance::new(InstanceOptions {
        // 256 MiB of 8 KiB pages.
        cache_max_pages: 32 * 1024,
        ..InstanceOptions::new(dir.path().join("system"))
    })
    .unwrap();
    let session = instance.begin_session().unwrap();
    let dbid = session.create_database(&path, 0).unwrap();
    let unicode = |name: &str, coltyp| ColumnCreate {
        code_page: 1200,
        ..ColumnCreate::new(name, coltyp, 0)
    };
    let mut create = TableCreate {
        name: "orders".into(),
        columns: vec![
            ColumnCreate::new("Id", JET_coltypLong, JET_bitColumnAutoincrement),
            ColumnCreate::new("CustomerId", JET_coltypLong, JET_bitColumnNotNULL),
            ColumnCreate::new("Status", JET_coltypUnsignedByte, 0),
            ColumnCreate::new("Amount", JET_coltypCurrency, 0),
            ColumnCreate::new("Created", JET_coltypDateTime, 0),
            ColumnCreate::new("Score", JET_coltypIEEEDouble, 0),
            ColumnCreate::new("Email", JET_coltypText, JET_bitColumnNotNULL),
            unicode("Name", JET_coltypText),
            ColumnCreate::new("Flags", JET_coltypLong, JET_bitColumnTagged),
            unicode("Notes", JET_coltypLongText),
        ],
        indexes: vec![
            IndexCreate::new("ById", "+Id\0\0", JET_bitIndexPrimary),
            IndexCreate::new("ByCustomer", "+CustomerId\0-Created\0\0", 0),
            IndexCreate::new("ByEmail", "+Email\0\0", JET_bitIndexUnique),
        ],
        ..Default::default()
    };
    let mut cursor = session
        .create_table_column_index(dbid, &mut create)
        .unwrap();
    let ids: Vec<u32> = create.columns.iter().map(|c| c.column_id).collect();
    println!("{count} records, 10 columns, primary + 2 secondary indexes, 8 KiB pages");

    let start = Instant::now();
    for n in 0..count {
        cursor.prepare_update(JET_prepInsert).unwrap();
        let customer = (n.wrapping_mul(7919) % 50_000) as i32;
        cursor
            .set_column(ids[1], Some(&customer.to_le_bytes()), 0, None)
            .unwrap();
        cursor
            .set_column(ids[2], Some(&[(n % 5) as u8]), 0, None)
            .unwrap();
        cursor
            .set_column(ids[3], Some(&(i64::from(n) * 137).to_le_bytes()), 0, None)
            .unwrap();
        let created = 45_000.0 + f64::from(n) / 1000.0;
        cursor
            .set_column(ids[4], Some(&created.to_le_bytes()), 0, None)
            .unwrap();
        cursor
            .set_column(
                ids[5],
                Some(&(f64::from(n % 1000) / 7.0).to_le_bytes()),
                0,
                None,
            )
            .unwrap();
        cursor
            .set_column(ids[6], Some(email(n).as_bytes()), 0, None)
            .unwrap();
        cursor
            .set_column(
                ids[7],
                Some(&utf16(&format!("Customer {customer}"))),
                0,
                None,
            )
            .unwrap();
        if n % 3 == 0 {
            cursor
                .set_column(ids[8], Some(&(n as i32).to_le_bytes()), 0, None)
                .unwrap();
        }
        if n % 10 == 0 {
            cursor
                .set_column(ids[9], Some(&utf16("a short note on this order")), 0, None)
                .unwrap();
        }
        cursor.update().unwrap();
    }
    let insert = start.elapsed().as_secs_f64();
    println!(
        "insert: {insert:.2} s ({:.0} records/s)",
        f64::from(count) / insert
    );

    let seeks = count.min(200_000);
    let order = shuffled(count);
    let start = Instant::now();
    for &n in &order[..seeks as usize] {
        cursor
            .make_key(&(n as i32 + 1).to_le_bytes(), JET_bitNewKey)
            .unwrap();
        cursor.seek(JET_bitSeekEQ).unwrap();
        cursor.retrieve(ids[3], 0).unwrap().unwrap();
    }
    let primary = start.elapsed().as_secs_f64();
    println!(
        "primary seeks: {seeks} in {primary:.2} s ({:.0} seeks/s)",
        f64::from(seeks) / primary
    );

    cursor.set_current_index(Some("ByEmail"), 0).unwrap();
    let start = Instant::now();
    for &n in &order[..seeks as usize] {
        cursor.make_key(email(n).as_bytes(), JET_bitNewKey).unwrap();
        cursor.seek(JET_bitSeekEQ).unwrap();
        cursor.retrieve(ids[1], 0).unwrap().unwrap();
    }
    let secondary = start.elapsed().as_secs_f64();
    println!(
        "secondary seeks (ByEmail): {seeks} in {secondary:.2} s ({:.0} seeks/s)",
        f64::from(seeks) / secondary
    );

    cursor.set_current_index(Some("ByCustomer"), 0).unwrap();
    let customers: i32 = 10_000;
    let start = Instant::now();
    let mut found = 0u64;
    for customer in 0..customers {
        cursor
            .make_key(&customer.to_le_bytes(), JET_bitNewKey)
            .unwrap();
        if cursor.seek(JET_bitSeekEQ | JET_bitSetIndexRange).is_ok() {
            loop {
                cursor.retrieve(ids[3], 0).unwrap();
                found += 1;
                if cursor.move_(JET_MoveNext, 0).is_err() {
                    break;
                }
            }
        }
    }
    let ranges = start.elapsed().as_secs_f64();
    println!(
        "range scans (ByCustomer, {customers} customers): {found} records in {ranges:.2} s ({:.0} records/s)",
        found as f64 / ranges
    );

    cursor.set_current_index(None, 0).unwrap();
    let start = Instant::now();
    let mut rows = 0u64;
    let mut bytes = 0usize;
    cursor.move_(JET_MoveFirst, 0).unwrap();
    loop {
        for column in &ids {
            if let Some(value) = cursor.retrieve(*column, 0).unwrap() {
                bytes += value.len();
            }
        }
        rows += 1;
        if cursor.move_(JET_MoveNext, 0).is_err() {
            break;
        }
    }
    let scan = start.elapsed().as_secs_f64();
    println!(
        "full scan retrieving all columns: {rows} records, {bytes} bytes in {scan:.2} s ({:.0} records/s)",
        rows as f64 / scan
    );
    drop(cursor);
    session.close_database(dbid, 0).unwrap();
    drop(session);
    let start = Instant::now();
    instance.term().unwrap();
    println!("detach (flush): {:.2} s", start.elapsed().as_secs_f64());
    let size = std::fs::metadata(&path).unwrap().len();
    println!("file: {:.1} MiB", size as f64 / (1024.0 * 1024.0));
}
