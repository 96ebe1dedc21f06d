//! `esentutl demo`: the tool's main job on a database it makes itself, so
//! it runs on any machine without a database at hand. It creates a new
//! database (as `create` does), then shows its header (`info`), its catalog
//! (`schema`) and verifies it (`check`), exactly as those commands would on
//! a file the user gives.
//!
//! The new database holds the system tables only: user tables come with
//! the ISAM API.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ese::Result;

/// The demo database's name inside its directory.
const DEMO_FILE: &str = "demo.edb";

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

    crate::say!(
        "== esentutl create {} --page-size {page_size}",
        file.display()
    );
    crate::create::run(&file, page_size)?;
    crate::say!("\n== esentutl info {}", file.display());
    crate::info::run(&file)?;
    crate::say!("\n== esentutl schema {}", file.display());
    crate::schema::run(&file)?;
    crate::say!("\n== esentutl check {}", file.display());
    crate::check::run(&file, false)
}

fn default_directory() -> PathBuf {
    std::env::temp_dir().join(format!("esentutl-demo-{}", std::process::id()))
}

fn demo_io_error(path: &Path, error: std::io::Error) -> ese::Error {
    ese::io::jet_error_from_io(&error)
        .with_file(path)
        .with_operation("demo")
}
