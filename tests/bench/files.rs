//! Time to a verdict and peak memory of reading large and wide files natively: the largest file the panel
//! reads (100 MiB, 1,000,000 rows of ten columns, in UTF-8 and in Windows-1251), 5,000 columns and a
//! 1,000,000-column line. Each case runs in its own process so its peak resident memory (VmHWM) is its own.
//! Run: `cargo bench --bench files` (all cases) or `cargo bench --bench files -- rows-utf8` (one case), or
//! the built binary under `/usr/bin/time -v`. The files are generated in memory, never written.

use std::process::Command;
use std::time::Instant;

use warehouse_panel::sheet::decode::{read_file, ReadError};
use warehouse_panel::sheet::limits::{MAX_BYTES, MAX_ROWS};

const CASES: [&str; 4] = ["rows-utf8", "rows-cp1251", "columns-5000", "columns-1m"];

const NAMES: [&str; 6] = [
    "Футболка мужская хлопковая",
    "Кастрюля из нержавеющей стали",
    "Наушники беспроводные",
    "Тетрадь в клетку",
    "Молоко пастеризованное",
    "Палатка туристическая",
];

/// A stock file of `rows` rows of ten columns (a key, a name, eight quantities and prices), padded to fill
/// `bytes` at most.
fn stock_file(rows: usize, bytes: usize) -> String {
    let header =
        "externalId;name;main;north;south;east;west;shop;main:purchasePrice;north:purchasePrice\n";
    let mut text = String::with_capacity(bytes);
    text.push_str(header);
    let per_row = (bytes - header.len()) / rows;
    for i in 0..rows {
        let start = text.len();
        let name = NAMES[i % NAMES.len()];
        text.push_str(&format!(
            "SKU-{i:07};{name};{};{};{};{};{};{};{},{:02};{}",
            i % 97,
            i % 13,
            i % 7,
            i % 250,
            i % 3,
            i % 1000,
            i % 5000,
            i % 100,
            i % 900
        ));
        // Pad the name's row to the same length with a last-cell suffix of digits.
        while text.len() - start < per_row - 1 {
            text.push('0');
        }
        text.push('\n');
    }
    text
}

/// Peak and current resident memory of this process, in MB (Linux).
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or("?".to_string(), |kb| format!("{:.0} MB", kb / 1024.0))
    };
    format!("peak {} (now {})", field("VmHWM:"), field("VmRSS:"))
}

fn run(case: &str) {
    let bytes: Vec<u8> = match case {
        "rows-utf8" => stock_file(MAX_ROWS, MAX_BYTES as usize).into_bytes(),
        "rows-cp1251" => {
            let text = stock_file(MAX_ROWS, MAX_BYTES as usize);
            encoding_rs::WINDOWS_1251.encode(&text).0.into_owned()
        }
        "columns-5000" => {
            let header: Vec<String> = (0..5000).map(|c| format!("store{c}")).collect();
            let row = vec!["1"; 5000].join(";");
            let mut text = header.join(";");
            for _ in 0..100 {
                text.push('\n');
                text.push_str(&row);
            }
            text.into_bytes()
        }
        "columns-1m" => format!("{}\n1\n", "c,".repeat(1_000_000)).into_bytes(),
        _ => {
            println!("unknown case {case}: one of {CASES:?}");
            return;
        }
    };
    let generated = memory();
    let started = Instant::now();
    let read = read_file(&bytes, None);
    let seconds = started.elapsed().as_secs_f64();
    let verdict = match &read {
        Ok(file) => format!(
            "{} rows of {} columns, {:?}",
            file.sheet.rows.len(),
            file.sheet.header.len(),
            file.encoding
        ),
        Err(ReadError::TooManyColumns { columns, .. }) => format!("refused: {columns} columns"),
        Err(e) => format!("refused: {e:?}"),
    };
    println!(
        "{case}: {:.1} MB: {verdict} in {seconds:.2} s; memory {}, with the file alone {generated}",
        bytes.len() as f64 / 1_048_576.0,
        memory()
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if let Some(case) = args.first() {
        run(case);
        return;
    }
    let Ok(me) = std::env::current_exe() else {
        println!("cannot find this program to run each case");
        return;
    };
    for case in CASES {
        if let Err(e) = Command::new(&me).arg(case).status() {
            println!("{case}: did not run: {e}");
        }
    }
}
