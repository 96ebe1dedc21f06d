//! The library from C (and once from C++): each program in `tests/c/` is
//! compiled with the system C compiler (`$CC`, else `cc`) as C11 with `-Wall -Wextra
//! -Werror` against `include/esent.h`, linked with the `libesent.so` this
//! build made, and run in a scratch directory; its exit status is the
//! number of failed checks. A layout program checks that C sees every
//! structure with the size and field offsets the library uses.
//!
//! Each program runs in a process of its own: the engine's mode (legacy or
//! multi-instance) is process-wide, as in ESENT.
//!
//! With `ESENT_VALGRIND=1` each program runs under valgrind's memcheck,
//! which fails the test on any invalid read or write and on any block
//! definitely lost.

use std::path::{Path, PathBuf};
use std::process::Command;

use ese_testkit::scratch_dir;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The directory holding the libesent.so of this build: `deps`, where
/// `cargo test` rebuilds it, before the copy `cargo build` puts beside it
/// (which a test run does not refresh, so it can be stale).
fn library_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let deps = exe.parent().unwrap();
    for dir in [deps, deps.parent().unwrap()] {
        if dir.join("libesent.so").exists() {
            return dir.to_path_buf();
        }
    }
    panic!("libesent.so not found beside {}", deps.display());
}

fn compiler() -> String {
    std::env::var("CC").unwrap_or_else(|_| "cc".into())
}

/// Compiles `source` into `output`, failing the test on any warning.
fn compile(source: &Path, output: &Path) {
    let lib = library_dir();
    let result = Command::new(compiler())
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-g"])
        .arg("-I")
        .arg(manifest().join("../../include"))
        .arg("-I")
        .arg(manifest().join("tests/c"))
        .arg(source)
        .arg("-o")
        .arg(output)
        .arg("-L")
        .arg(&lib)
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .arg("-lesent")
        .output()
        .expect("running the C compiler");
    assert!(
        result.status.success(),
        "{} did not compile:\n{}",
        source.display(),
        String::from_utf8_lossy(&result.stderr)
    );
}

/// Compiles and runs `tests/c/NAME.c` with a scratch directory.
fn run_program(name: &str) {
    run_source(&manifest().join(format!("tests/c/{name}.c")), name, true);
}

/// Compiles and runs `examples/c/NAME.c` (a complete program: exit 0 is
/// success) with a scratch directory.
fn run_example(name: &str) {
    run_source(
        &manifest().join(format!("../../examples/c/{name}.c")),
        name,
        false,
    );
}

fn run_source(source: &Path, name: &str, counts_checks: bool) {
    let dir = scratch_dir();
    let exe = dir.path().join(name);
    compile(source, &exe);
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let under_valgrind = std::env::var("ESENT_VALGRIND").is_ok_and(|v| v == "1");
    let result = if under_valgrind {
        Command::new("valgrind")
            .args([
                "--error-exitcode=99",
                "--leak-check=full",
                "--errors-for-leak-kinds=definite",
            ])
            .arg(&exe)
            .arg(&work)
            .output()
            .expect("running valgrind")
    } else {
        Command::new(&exe).arg(&work).output().unwrap()
    };
    let stdout = String::from_utf8_lossy(&result.stdout);
    let stderr = String::from_utf8_lossy(&result.stderr);
    println!("{stdout}{stderr}");
    assert!(
        result.status.success(),
        "{name} failed ({}):\n{stdout}{stderr}",
        result.status
    );
    if counts_checks {
        assert!(stdout.contains(" 0 failed"), "{stdout}");
    }
}

#[test]
fn example_library_app() {
    run_example("library_app");
}

#[test]
fn example_backup_client() {
    run_example("backup_client");
}

#[test]
fn multi_instance_program() {
    run_program("multi_instance");
}

#[test]
fn ddl_structures_and_every_column_type_program() {
    run_program("ddl");
}

#[test]
fn records_and_schema_changes_program() {
    run_program("records");
}

#[test]
fn streaming_backup_client_program() {
    run_program("backup");
}

#[test]
fn managed_esent_startup_program() {
    run_program("managed_startup");
}

#[test]
fn process_calls_enumeration_and_record_size_program() {
    run_program("process");
}

#[test]
fn legacy_streaming_backup_and_external_restore_program() {
    run_program("legacy_backup");
}

#[test]
fn info_calls_and_their_list_tables_program() {
    run_program("info");
}

#[test]
fn threads_write_conflicts_and_every_seek_mode_program() {
    run_program("threads");
}

#[test]
fn legacy_mode_and_wide_strings_program() {
    run_program("legacy");
}

/// Reads a pkg-config file as pkg-config does for the fields used here:
/// `name=value` variables, then `Cflags:` / `Libs:` / `Libs.private:`
/// with `${name}` replaced. (Not the pkg-config program: it may be
/// missing, and when present the test compares it with this.)
fn pc_fields(text: &str) -> std::collections::HashMap<String, String> {
    let mut variables: Vec<(String, String)> = Vec::new();
    let mut fields = std::collections::HashMap::new();
    let expand = |value: &str, variables: &[(String, String)]| {
        let mut out = value.to_string();
        for (name, replacement) in variables.iter().rev() {
            out = out.replace(&format!("${{{name}}}"), replacement);
        }
        out
    };
    for line in text.lines() {
        if let Some((name, value)) = line.split_once(':').filter(|(n, _)| !n.contains('=')) {
            fields.insert(name.trim().to_string(), expand(value.trim(), &variables));
        } else if let Some((name, value)) = line.split_once('=') {
            let value = expand(value.trim(), &variables);
            variables.push((name.trim().to_string(), value));
        }
    }
    fields
}

/// The documented install command (`scripts/install-libesent.sh PREFIX`,
/// given this build's libraries) puts the library, the header and
/// esent.pc under the prefix, and a complete program builds from the
/// installed files alone with the .pc's flags, against the shared
/// library and against the static one, and runs.
#[test]
fn the_install_script_and_esent_pc_build_a_program() {
    let dir = scratch_dir();
    let prefix = dir.path().join("prefix");
    let status = Command::new("bash")
        .arg(manifest().join("../../scripts/install-libesent.sh"))
        .arg(&prefix)
        .env("LIBESENT_BUILD_DIR", library_dir())
        .status()
        .unwrap();
    assert!(status.success());
    for file in [
        "lib/libesent.so",
        "lib/libesent.a",
        "include/esent.h",
        "lib/pkgconfig/esent.pc",
    ] {
        assert!(prefix.join(file).is_file(), "{file} was not installed");
    }
    let pc = std::fs::read_to_string(prefix.join("lib/pkgconfig/esent.pc")).unwrap();
    let fields = pc_fields(&pc);
    let prefix_text = prefix.display().to_string();
    assert_eq!(fields["Cflags"], format!("-I{prefix_text}/include"));
    assert_eq!(fields["Libs"], format!("-L{prefix_text}/lib -lesent"));
    assert_eq!(fields["Version"], env!("CARGO_PKG_VERSION"));
    if let Ok(output) = Command::new("pkg-config")
        .args(["--cflags", "--libs", "esent"])
        .env("PKG_CONFIG_PATH", prefix.join("lib/pkgconfig"))
        .output()
    {
        let said = String::from_utf8_lossy(&output.stdout);
        assert_eq!(
            said.split_whitespace().collect::<Vec<_>>(),
            format!("{} {}", fields["Cflags"], fields["Libs"])
                .split_whitespace()
                .collect::<Vec<_>>()
        );
    }
    let source = manifest().join("../../examples/c/library_app.c");
    let split = |text: &str| {
        text.split_whitespace()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    let shared = dir.path().join("app-shared");
    let static_ = dir.path().join("app-static");
    let builds = [
        (
            &shared,
            [
                split(&fields["Cflags"]),
                vec![source.display().to_string()],
                split(&fields["Libs"]),
                vec![format!("-Wl,-rpath,{prefix_text}/lib")],
            ]
            .concat(),
        ),
        (
            &static_,
            [
                split(&fields["Cflags"]),
                vec![
                    source.display().to_string(),
                    format!("{prefix_text}/lib/libesent.a"),
                ],
                split(&fields["Libs.private"]),
            ]
            .concat(),
        ),
    ];
    for (exe, args) in builds {
        let built = Command::new(compiler())
            .args(["-std=c11", "-Wall", "-Wextra", "-Werror"])
            .args(&args)
            .arg("-o")
            .arg(exe)
            .output()
            .unwrap();
        assert!(
            built.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&built.stderr)
        );
        let work = dir.path().join(format!(
            "work-{}",
            exe.file_name().unwrap().to_string_lossy()
        ));
        std::fs::create_dir_all(&work).unwrap();
        let ran = Command::new(exe).arg(&work).output().unwrap();
        assert!(
            ran.status.success(),
            "{}: {}",
            exe.display(),
            String::from_utf8_lossy(&ran.stderr)
        );
    }
    // The static program carries the library: it runs without libesent.so.
    let ldd = Command::new("ldd").arg(&static_).output();
    if let Ok(ldd) = ldd {
        assert!(!String::from_utf8_lossy(&ldd.stdout).contains("libesent.so"));
    }
}

/// The header from C++ (`$CXX`, else `c++`): its overloads for
/// `unsigned long *` out-parameters compile beside the 32-bit forms and
/// reach the library.
#[test]
fn cpp_program_with_unsigned_long_out_parameters() {
    let dir = scratch_dir();
    let exe = dir.path().join("cpp_adaptors");
    let lib = library_dir();
    let compiler = std::env::var("CXX").unwrap_or_else(|_| "c++".into());
    let result = Command::new(compiler)
        .args(["-std=c++11", "-Wall", "-Wextra", "-Werror"])
        .arg("-I")
        .arg(manifest().join("../../include"))
        .arg(manifest().join("tests/c/cpp_adaptors.cpp"))
        .arg("-o")
        .arg(&exe)
        .arg("-L")
        .arg(&lib)
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .arg("-lesent")
        .output()
        .expect("running the C++ compiler");
    assert!(
        result.status.success(),
        "cpp_adaptors.cpp did not compile:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let run = Command::new(&exe).output().unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success() && stdout.contains(" 0 failed"),
        "{stdout}"
    );
}

#[test]
fn c_sees_the_structures_as_the_library_does() {
    let layouts = esent::types::layouts();
    let mut source = String::from(
        "#include <stddef.h>\n#include <stdio.h>\n#include <esent.h>\nint main(void) {\n",
    );
    for (name, _, fields) in &layouts {
        source.push_str(&format!("    printf(\"{name} %zu\\n\", sizeof({name}));\n"));
        for (field, _) in fields {
            source.push_str(&format!(
                "    printf(\"{name}.{field} %zu\\n\", offsetof({name}, {field}));\n"
            ));
        }
    }
    source.push_str("    return 0;\n}\n");
    let dir = scratch_dir();
    let file = dir.path().join("layout.c");
    std::fs::write(&file, source).unwrap();
    let exe = dir.path().join("layout");
    compile(&file, &exe);
    let output = Command::new(&exe).output().unwrap();
    let printed = String::from_utf8_lossy(&output.stdout);
    let mut expected = String::new();
    for (name, size, fields) in &layouts {
        expected.push_str(&format!("{name} {size}\n"));
        for (field, offset) in fields {
            expected.push_str(&format!("{name}.{field} {offset}\n"));
        }
    }
    assert_eq!(printed, expected);
    // Windows x64's sizes, which ESENT programs and bindings assume.
    assert!(expected.contains("JET_COLUMNDEF 28\n"));
    assert!(expected.contains("JET_RETINFO 16\n"));
}
