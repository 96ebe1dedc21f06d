//! The engine's own ground, against SQLite (the only peer with tables and
//! secondary indexes), with the same schema on both:
//! - a 10-column `orders` table with a unique secondary index on Email
//!   and a two-column one on (CustomerId, Created descending): insert the
//!   rows, seek on Email, scan each customer's range;
//! - wide sparse rows: 500 columns defined, 10 set per row: insert, then
//!   read every row back by its key;
//! - long values of 1 MiB: write, then read every one back.

use crate::data::Rng;
use crate::engines;
pub use crate::interface::{
    email, Order, TableEngine, WideRow, LONG_VALUE_SIZE, WIDE_COLUMNS, WIDE_SET,
};
use crate::kv::timed;
use crate::report::{Figure, Report};
use crate::{check, BenchResult, Config, EngineKind};

pub const SUITE: &str = "tables (against SQLite)";

pub fn run(
    config: &Config,
    report: &mut Report,
    progress: &mut dyn FnMut(&str),
) -> BenchResult<()> {
    let records = config.records;
    let customers = (records / 20).max(1) as u32;
    let orders: Vec<Order> = (0..records as u32)
        .map(|n| Order::generate(n, customers))
        .collect();
    let mut per_customer = vec![(0usize, 0i64); customers as usize];
    for order in &orders {
        let entry = &mut per_customer[order.customer as usize];
        entry.0 += 1;
        entry.1 += order.amount;
    }
    let mut rng = Rng::new(config.seed ^ 0x7ab1e5);
    let seeks = (records / 10).max(1);
    let seek_rows: Vec<usize> = (0..seeks)
        .map(|_| rng.below(records as u64) as usize)
        .collect();
    let scanned_customers = (customers as usize).min(10_000);

    let wide_rows = (records / 10).max(1);
    let wide: Vec<WideRow> = (0..wide_rows)
        .map(|n| {
            let mut columns: Vec<usize> = Vec::with_capacity(WIDE_SET);
            while columns.len() < WIDE_SET {
                let column = rng.below(WIDE_COLUMNS as u64) as usize;
                if !columns.contains(&column) {
                    columns.push(column);
                }
            }
            columns.sort_unstable();
            WideRow {
                id: n as i32 + 1,
                values: columns
                    .into_iter()
                    .map(|c| (c, rng.next_u64() as i64 >> 8))
                    .collect(),
            }
        })
        .collect();
    let mut wide_order: Vec<usize> = (0..wide_rows).collect();
    rng.shuffle(&mut wide_order);

    let long_values = (records / 10_000).clamp(8, 100);
    let blobs: Vec<Vec<u8>> = (0..long_values)
        .map(|_| {
            let mut blob = vec![0u8; LONG_VALUE_SIZE];
            rng.fill(&mut blob);
            blob
        })
        .collect();

    for &kind in &config.engines {
        if !matches!(kind, EngineKind::Ese | EngineKind::Sqlite) {
            continue;
        }
        let name = kind.name();
        let dir = config.dir.join(format!("tables-{name}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        let mut engine = engines::open_tables(kind, &dir, config.cache_bytes)?;
        let mut record = |workload: String, figure: Figure, progress: &mut dyn FnMut(&str)| {
            progress(&format!("{name}: {workload}: {figure}"));
            report.record(SUITE, &workload, kind, figure);
        };

        let time = timed(|| engine.insert_orders(&orders))?;
        record(
            format!("orders: insert {records} rows (10 columns, 2 secondary indexes)"),
            Figure::Time(time),
            progress,
        );
        let time = timed(|| {
            for &row in &seek_rows {
                let amount = engine.order_by_email(&orders[row].email)?;
                check(amount == Some(orders[row].amount), || {
                    format!("{name}: Email seek for row {row} gave {amount:?}")
                })?;
            }
            Ok(())
        })?;
        record(
            format!("orders: {seeks} seeks on the Email index"),
            Figure::Time(time),
            progress,
        );
        let time = timed(|| {
            for (customer, &expected) in per_customer[..scanned_customers].iter().enumerate() {
                let found = engine.orders_of_customer(customer as i32)?;
                check(found == expected, || {
                    format!(
                        "{name}: customer {customer} range gave {found:?}, expected {expected:?}"
                    )
                })?;
            }
            Ok(())
        })?;
        let scanned: usize = per_customer[..scanned_customers].iter().map(|c| c.0).sum();
        record(
            format!("orders: range scans of {scanned_customers} customers ({scanned} rows) on the (CustomerId, Created) index"),
            Figure::Time(time),
            progress,
        );

        let time = timed(|| engine.insert_wide(&wide))?;
        record(
            format!("wide rows: insert {wide_rows} ({WIDE_COLUMNS} columns, {WIDE_SET} set)"),
            Figure::Time(time),
            progress,
        );
        let time = timed(|| {
            for &i in &wide_order {
                let row = &wide[i];
                let expected = (WIDE_SET, row.values.iter().map(|(_, v)| v).sum::<i64>());
                let found = engine.read_wide(row.id)?;
                check(found == expected, || {
                    format!(
                        "{name}: wide row {} gave {found:?}, expected {expected:?}",
                        row.id
                    )
                })?;
            }
            Ok(())
        })?;
        record(
            format!("wide rows: read {wide_rows} back by key"),
            Figure::Time(time),
            progress,
        );

        let values: Vec<(i32, &[u8])> = blobs
            .iter()
            .enumerate()
            .map(|(i, blob)| (i as i32 + 1, &blob[..]))
            .collect();
        let time = timed(|| engine.write_long_values(&values))?;
        record(
            format!("long values: write {long_values} of 1 MiB"),
            Figure::Time(time),
            progress,
        );
        let time = timed(|| {
            let mut out = Vec::with_capacity(LONG_VALUE_SIZE);
            for (id, blob) in &values {
                let found = engine.read_long_value(*id, &mut out)?;
                check(found && out[..] == blob[..], || {
                    format!("{name}: long value {id} missing or different")
                })?;
            }
            Ok(())
        })?;
        record(
            format!("long values: read {long_values} of 1 MiB back"),
            Figure::Time(time),
            progress,
        );
        record(
            "file size after the table workloads".into(),
            Figure::Bytes(engine.file_size()?),
            progress,
        );
        drop(engine);
        std::fs::remove_dir_all(&dir)?;
    }
    Ok(())
}
