//! The engine's layer rule, checked on its source (`docs/ARCHITECTURE.md`
//! states it): every folder of `crates/ese/src` is a component, and a file
//! may name (by a `crate::`, `super::` or `self::` path, in a `use` or in
//! the code) only files of its own component or of components listed
//! before it in [`COMPONENTS`]. No two files, of any components, name each
//! other in a circle.
//!
//! A child naming its parent module (`super::Checker` in a checker pass)
//! is not an import between two pieces of the engine, and is left out; a
//! parent naming its children by relative paths is not read at all.
//! Method calls are not imports either: an `impl` block in one file called
//! from another is outside what this test sees.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The components, bottom up.
const COMPONENTS: &[&str] = &[
    "grbit",
    "storage",
    "catalog",
    "record",
    "version",
    "log",
    "database",
    "ddl",
    "instance",
    "cursor",
    "backup",
    "maintenance",
    "api",
];

/// Names at the crate root that are not components: `ese-format`'s error
/// type and codes, and the crate itself.
const ROOT_ITEMS: &[&str] = &["codes", "format", "Error", "Result"];

type Module = Vec<String>;

struct Source {
    /// Module path of each file, and the file (relative to `src`).
    files: BTreeMap<Module, PathBuf>,
    /// Every `crate::`/`super::`/`self::` path each file names, resolved
    /// to the module that holds it.
    edges: BTreeMap<Module, BTreeSet<Module>>,
    /// Paths that name a root re-export instead of a component.
    root_paths: Vec<String>,
}

fn module_of(relative: &Path) -> Module {
    let mut parts: Vec<String> = relative
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text without `//` comments (doc comments name paths in prose).
fn without_comments(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Reads a path from `text[at..]`: identifiers joined by `::`, and a
/// brace group expanded into one path per item. Returns the paths.
fn read_paths(text: &[char], mut at: usize, prefix: Vec<String>) -> Vec<Vec<String>> {
    let mut path = prefix;
    loop {
        let start = at;
        while at < text.len() && is_ident(text[at]) {
            at += 1;
        }
        if at > start {
            path.push(text[start..at].iter().collect());
        }
        if text[at..].starts_with(&[':', ':']) {
            at += 2;
            if text.get(at) == Some(&'{') {
                return read_group(text, at + 1, &path);
            }
            continue;
        }
        return vec![path];
    }
}

/// The items of a `{...}` group starting at `at`, each with `prefix`.
fn read_group(text: &[char], mut at: usize, prefix: &[String]) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    loop {
        while at < text.len() && (text[at].is_whitespace() || text[at] == ',') {
            at += 1;
        }
        if at >= text.len() || text[at] == '}' {
            return paths;
        }
        if text[at] == '*' {
            paths.push(prefix.to_vec());
            at += 1;
            continue;
        }
        if text[at] == '{' {
            paths.extend(read_group(text, at + 1, prefix));
        } else {
            let item = read_paths(text, at, prefix.to_vec());
            paths.extend(item.into_iter().map(|mut p| {
                if p.last().map(String::as_str) == Some("self") {
                    p.pop();
                }
                p
            }));
        }
        // Skip to the end of this item (past `as name` and nested groups).
        let mut depth = 0;
        while at < text.len() {
            match text[at] {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => break,
                _ => {}
            }
            at += 1;
        }
    }
}

fn read_source() -> Source {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    rust_files(&root, &mut paths);
    let files: BTreeMap<Module, PathBuf> = paths
        .iter()
        .map(|p| {
            let relative = p.strip_prefix(&root).unwrap().to_path_buf();
            (module_of(&relative), relative)
        })
        .collect();
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    let mut root_paths = Vec::new();
    for (module, relative) in &files {
        let text: Vec<char> =
            without_comments(&std::fs::read_to_string(root.join(relative)).unwrap())
                .chars()
                .collect();
        let mut at = 0;
        while at < text.len() {
            let preceded = at > 0 && (is_ident(text[at - 1]) || text[at - 1] == ':');
            let starts = ["crate::", "super::", "self::"]
                .iter()
                .find(|s| text[at..].starts_with(&s.chars().collect::<Vec<_>>()[..]));
            let Some(keyword) = starts.filter(|_| !preceded) else {
                at += 1;
                continue;
            };
            for path in read_paths(&text, at, Vec::new()) {
                // The module the path starts from.
                let mut base: Module = match *keyword {
                    "crate::" => Vec::new(),
                    _ => module.clone(),
                };
                let mut rest = path.iter().skip(1).peekable();
                if *keyword == "super::" {
                    base.pop();
                    while rest.peek().map(|s| s.as_str()) == Some("super") {
                        rest.next();
                        base.pop();
                    }
                }
                let full: Module = base.into_iter().chain(rest.cloned()).collect();
                let target = (0..=full.len())
                    .rev()
                    .map(|n| full[..n].to_vec())
                    .find(|m| files.contains_key(m))
                    .unwrap_or_default();
                if target.is_empty() {
                    if *keyword == "crate::"
                        && full
                            .first()
                            .is_some_and(|first| !ROOT_ITEMS.contains(&first.as_str()))
                    {
                        root_paths.push(format!(
                            "{}: crate::{}",
                            relative.display(),
                            full.join("::")
                        ));
                    }
                    continue;
                }
                // A file naming its own module or an ancestor (its facade).
                if target.len() <= module.len() && module[..target.len()] == target[..] {
                    continue;
                }
                edges.entry(module.clone()).or_default().insert(target);
            }
            at += keyword.len();
        }
    }
    Source {
        files,
        edges,
        root_paths,
    }
}

fn component(module: &Module) -> &str {
    module.first().map(String::as_str).unwrap_or("lib")
}

fn name(source: &Source, module: &Module) -> String {
    source.files[module].display().to_string()
}

/// Strongly connected components of the file graph with more than one
/// file (Tarjan's algorithm).
fn circles(source: &Source) -> Vec<Vec<String>> {
    struct State<'a> {
        edges: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<Module, usize>,
        low: BTreeMap<Module, usize>,
        stack: Vec<Module>,
        on_stack: BTreeSet<Module>,
        found: Vec<Vec<Module>>,
    }
    fn visit(state: &mut State<'_>, v: &Module) {
        let n = state.index.len();
        state.index.insert(v.clone(), n);
        state.low.insert(v.clone(), n);
        state.stack.push(v.clone());
        state.on_stack.insert(v.clone());
        let next: Vec<Module> = state
            .edges
            .get(v)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default();
        for w in next {
            if !state.index.contains_key(&w) {
                visit(state, &w);
                let low = state.low[v].min(state.low[&w]);
                state.low.insert(v.clone(), low);
            } else if state.on_stack.contains(&w) {
                let low = state.low[v].min(state.index[&w]);
                state.low.insert(v.clone(), low);
            }
        }
        if state.low[v] == state.index[v] {
            let mut scc = Vec::new();
            while let Some(w) = state.stack.pop() {
                state.on_stack.remove(&w);
                let done = &w == v;
                scc.push(w);
                if done {
                    break;
                }
            }
            if scc.len() > 1 {
                state.found.push(scc);
            }
        }
    }
    let mut state = State {
        edges: &source.edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for module in source.files.keys() {
        if !state.index.contains_key(module) {
            visit(&mut state, module);
        }
    }
    state
        .found
        .iter()
        .map(|scc| scc.iter().map(|m| name(source, m)).collect())
        .collect()
}

#[test]
fn the_reader_sees_the_imports_it_must_judge() {
    let source = read_source();
    let edge = |from: &[&str], to: &[&str]| {
        let from: Module = from.iter().map(|s| s.to_string()).collect();
        let to: Module = to.iter().map(|s| s.to_string()).collect();
        source.edges.get(&from).is_some_and(|t| t.contains(&to))
    };
    // A `use` group (cursor/mod.rs: `use crate::instance::session::Session`
    // among others), a path in code, and a `super::` path.
    assert!(edge(&["cursor"], &["instance", "session"]));
    // database/mod.rs names the io layer's FileWrapper inside a type.
    assert!(edge(&["database"], &["storage", "io"]));
    // structure_check/space.rs: `use super::walk::{Role, Walk}`.
    assert!(edge(
        &["maintenance", "structure_check", "space"],
        &["maintenance", "structure_check", "walk"]
    ));
    let total: usize = source.edges.values().map(BTreeSet::len).sum();
    println!("{} files, {total} imports between them", source.files.len());
    assert!(
        total > 200,
        "only {total} imports read: the reader is broken"
    );
}

#[test]
fn components_import_only_those_below_them_and_no_file_imports_in_a_circle() {
    let source = read_source();
    let rank = |module: &Module| COMPONENTS.iter().position(|c| *c == component(module));
    let mut problems = Vec::new();
    for module in source.files.keys() {
        if !module.is_empty() && rank(module).is_none() {
            problems.push(format!(
                "{} is in no component: add its folder to COMPONENTS (and docs/ARCHITECTURE.md)",
                name(&source, module)
            ));
        }
    }
    for (from, targets) in &source.edges {
        for to in targets {
            if let (Some(a), Some(b)) = (rank(from), rank(to)) {
                if b > a {
                    problems.push(format!(
                        "{} ({}) imports {} ({}), a component above it",
                        name(&source, from),
                        component(from),
                        name(&source, to),
                        component(to)
                    ));
                }
            }
        }
    }
    for path in &source.root_paths {
        problems.push(format!(
            "{path}: name the component's path, not the crate root's re-export"
        ));
    }
    for circle in circles(&source) {
        problems.push(format!(
            "files importing each other in a circle: {}",
            circle.join(", ")
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
