//! The JET API's instance life cycle through the registry ([`Jet`]):
//! legacy single-instance mode against multi-instance mode
//! (jetcreateinstance2, jetenablemultiinstance, jetinit3, jetterm2,
//! jetstopservice, jetstopserviceinstance, jetgetinstanceinfo), and the
//! system parameters: one table-driven test of every parameter's default,
//! range, scope and mutability through JetSetSystemParameter /
//! JetGetSystemParameter, and a comparison of the parameter table with
//! Microsoft's parameter pages.
//!
//! Each test has a registry of its own (`Jet::new()`, a "process"); one
//! test drives the process's own registry (`Jet::global()`).

use std::path::Path;

use ese::api::grbit::*;
use ese::api::params::*;
use ese::api::*;
use ese::codes::*;
use ese::format::constants::*;
use ese_testkit::scratch_dir;

fn code<T: std::fmt::Debug>(result: ese::Result<T>) -> i32 {
    result.unwrap_err().code()
}

/// Points an instance's (or, with `None`, the process's) files at `dir`.
fn place(jet: &Jet, instance: Option<JetInstance>, dir: &Path) {
    let text = dir.to_str().unwrap();
    jet.set_system_parameter(instance, JET_paramSystemPath, 0, Some(text))
        .unwrap();
    jet.set_system_parameter(instance, JET_paramLogFilePath, 0, Some(text))
        .unwrap();
    jet.set_system_parameter(instance, JET_paramCreatePathIfNotExist, 1, None)
        .unwrap();
}

/// A table with one row, in a new database, through `session`.
fn make_database(session: &Session, path: &Path) -> DbId {
    let dbid = session.create_database(path, 0).unwrap();
    let mut cursor = session.create_table(dbid, "t", 0, 100).unwrap();
    let column = cursor
        .add_column(&ColumnCreate::new("C", JET_coltypLong, 0))
        .unwrap();
    cursor.prepare_update(JET_prepInsert).unwrap();
    cursor
        .set_column(column, Some(&7i32.to_le_bytes()), 0, None)
        .unwrap();
    cursor.update().unwrap();
    dbid
}

fn header_state(path: &Path) -> u32 {
    ese::database_file::DatabaseFile::open(path)
        .unwrap()
        .header()
        .state
}

#[test]
fn legacy_mode_runs_one_global_instance() {
    let dir = scratch_dir();
    let jet = Jet::new();
    assert_eq!(jet.mode(), RunMode::NotSet);
    assert_eq!(code(jet.term(None)), JET_errNotInitialized);
    assert_eq!(code(jet.stop_service()), JET_errNotInitialized);
    place(&jet, None, dir.path());
    // JetInit with no instance created: the global instance.
    let handle = jet.init(None).unwrap();
    assert_eq!(jet.mode(), RunMode::OneInstance);
    assert_eq!(code(jet.init(None)), JET_errAlreadyInitialized);
    assert_eq!(code(jet.init(Some(handle))), JET_errAlreadyInitialized);
    assert_eq!(
        code(jet.create_instance(Some("x"))),
        JET_errRunningInOneInstanceMode
    );
    let (set, outcome) = jet.enable_multi_instance(&[]);
    assert_eq!(
        (set, outcome.unwrap_err().code()),
        (0, JET_errRunningInOneInstanceMode)
    );
    // The legacy instance takes parameters without a handle: a fixed one
    // is refused now, a dynamic one takes effect at once.
    assert_eq!(
        code(jet.set_system_parameter(None, JET_paramLogFileSize, 1024, None)),
        JET_errAlreadyInitialized
    );
    jet.set_system_parameter(None, JET_paramCheckpointDepthMax, 1 << 20, None)
        .unwrap();
    assert_eq!(
        jet.instance(None)
            .unwrap()
            .statistics()
            .checkpoint_depth_target,
        1 << 20
    );
    assert_eq!(
        jet.get_system_parameter(Some(handle), JET_paramCheckpointDepthMax, 0)
            .unwrap(),
        ParamValue::Integer(1 << 20)
    );

    let session = jet.begin_session(None).unwrap();
    let path = dir.path().join("legacy.edb");
    let dbid = make_database(&session, &path);
    let infos = jet.get_instance_info().unwrap();
    assert_eq!(infos.len(), 1);
    assert_eq!(infos[0].instance, handle);
    assert_eq!(infos[0].name, None);
    assert_eq!(infos[0].display_name, "");
    assert_eq!(infos[0].databases, vec![path.canonicalize().unwrap()]);

    // The legacy JetStopService, then JetTerm with no handle.
    jet.stop_service().unwrap();
    assert_eq!(
        code(session.begin_transaction()),
        JET_errClientRequestToStopJetService
    );
    assert_eq!(
        code(jet.begin_session(None)),
        JET_errClientRequestToStopJetService
    );
    session.close_database(dbid, 0).unwrap();
    session.end().unwrap();
    jet.term(None).unwrap();
    assert_eq!(header_state(&path), JET_dbstateCleanShutdown);
    // The mode is forgotten with the last instance: multi-instance now.
    assert_eq!(jet.mode(), RunMode::NotSet);
    let other = jet.create_instance(Some("after")).unwrap();
    assert_eq!(jet.mode(), RunMode::MultiInstance);
    jet.term(Some(other)).unwrap();
}

#[test]
fn multi_instance_mode_names_instances_and_stops_each_on_its_own() {
    let dir = scratch_dir();
    let jet = Jet::new();
    let a = jet
        .create_instance2(Some("alpha"), Some("Alpha's display"), 0)
        .unwrap();
    assert_eq!(jet.mode(), RunMode::MultiInstance);
    assert_eq!(
        code(jet.create_instance(Some("alpha"))),
        JET_errInstanceNameInUse
    );
    let unnamed = jet.create_instance(None).unwrap();
    assert_eq!(code(jet.create_instance(None)), JET_errInstanceNameInUse);
    assert_eq!(
        code(jet.create_instance2(Some("b"), None, 1)),
        JET_errInvalidGrbit
    );
    let b = jet.create_instance2(Some("beta"), None, 0).unwrap();
    // Legacy calls are refused in multi-instance mode.
    assert_eq!(code(jet.init(None)), JET_errRunningInMultiInstanceMode);
    assert_eq!(code(jet.stop_service()), JET_errRunningInMultiInstanceMode);
    let (_, outcome) = jet.enable_multi_instance(&[]);
    assert_eq!(outcome.unwrap_err().code(), JET_errSystemParamsAlreadySet);
    // An instance created but never initialised is freed by JetTerm and
    // is not in JetGetInstanceInfo.
    assert!(jet.get_instance_info().unwrap().is_empty());
    jet.term(Some(unnamed)).unwrap();
    assert_eq!(code(jet.term(Some(unnamed))), JET_errInvalidParameter);
    assert_eq!(code(jet.init(Some(unnamed))), JET_errInvalidParameter);

    place(&jet, Some(a), &dir.path().join("a"));
    place(&jet, Some(b), &dir.path().join("b"));
    jet.init(Some(a)).unwrap();
    assert_eq!(code(jet.init(Some(a))), JET_errAlreadyInitialized);
    jet.init3(Some(b), JET_bitReplayIgnoreMissingDB).unwrap();
    let session_a = jet.begin_session(Some(a)).unwrap();
    let session_b = jet.begin_session(Some(b)).unwrap();
    let path_a = dir.path().join("a.edb");
    let path_b = dir.path().join("b.edb");
    let db_a = make_database(&session_a, &path_a);
    let db_b = make_database(&session_b, &path_b);
    let infos = jet.get_instance_info().unwrap();
    assert_eq!(infos.len(), 2);
    assert_eq!(infos[0].name.as_deref(), Some("alpha"));
    assert_eq!(infos[0].display_name, "Alpha's display");
    assert_eq!(infos[0].databases, vec![path_a.canonicalize().unwrap()]);
    assert_eq!(infos[1].display_name, "beta");

    // JetStopServiceInstance stops one instance: the other goes on.
    assert_eq!(
        code(jet.stop_service_instance(9_999)),
        JET_errInvalidParameter
    );
    jet.stop_service_instance(a).unwrap();
    assert_eq!(
        code(session_a.begin_transaction()),
        JET_errClientRequestToStopJetService
    );
    session_b.begin_transaction().unwrap();
    session_b.commit_transaction(0).unwrap();
    session_a.close_database(db_a, 0).unwrap();
    session_a.end().unwrap();
    jet.term(Some(a)).unwrap();
    assert_eq!(header_state(&path_a), JET_dbstateCleanShutdown);
    assert_eq!(code(jet.stop_service_instance(a)), JET_errInvalidParameter);
    // JetStopServiceInstance2's partial stop on the other, then its end.
    jet.stop_service_instance2(b, JET_bitStopServiceQuiesceCaches)
        .unwrap();
    session_b.close_database(db_b, 0).unwrap();
    drop(session_b);
    jet.term2(Some(b), JET_bitTermComplete).unwrap();
    assert_eq!(header_state(&path_b), JET_dbstateCleanShutdown);
    assert_eq!(jet.mode(), RunMode::NotSet);
    assert!(jet.get_instance_info().unwrap().is_empty());
}

#[test]
fn max_instances_bounds_the_process_and_is_fixed_once_an_instance_exists() {
    let jet = Jet::new();
    assert_eq!(
        code(jet.set_system_parameter(None, JET_paramMaxInstances, 0, None)),
        JET_errInvalidParameter
    );
    jet.set_system_parameter(None, JET_paramMaxInstances, 2, None)
        .unwrap();
    let first = jet.create_instance(Some("1")).unwrap();
    let second = jet.create_instance(Some("2")).unwrap();
    assert_eq!(
        code(jet.create_instance(Some("3"))),
        JET_errTooManyInstances
    );
    assert_eq!(
        code(jet.set_system_parameter(None, JET_paramMaxInstances, 5, None)),
        JET_errAlreadyInitialized
    );
    assert_eq!(
        jet.get_system_parameter(None, JET_paramMaxInstances, 0)
            .unwrap(),
        ParamValue::Integer(2)
    );
    jet.term(Some(first)).unwrap();
    let third = jet.create_instance(Some("3")).unwrap();
    jet.term(Some(second)).unwrap();
    jet.term(Some(third)).unwrap();
}

#[test]
fn enable_multi_instance_sets_global_parameters_all_or_up_to_the_failure() {
    let jet = Jet::new();
    // A bad parameter: those before it stay set, the mode does not change.
    let (set, outcome) = jet.enable_multi_instance(&[
        (JET_paramMaxInstances, 3, None),
        (JET_paramDatabasePageSize, 1000, None),
        (JET_paramCacheSizeMin, 100, None),
    ]);
    assert_eq!(set, 1);
    assert_eq!(outcome.unwrap_err().code(), JET_errInvalidParameter);
    assert_eq!(jet.mode(), RunMode::NotSet);
    assert_eq!(
        jet.get_system_parameter(None, JET_paramMaxInstances, 0)
            .unwrap()
            .integer(),
        3
    );
    let (set, outcome) = jet.enable_multi_instance(&[
        (JET_paramDatabasePageSize, 16384, None),
        (JET_paramCacheSizeMin, 100, None),
    ]);
    assert_eq!((set, outcome.is_ok()), (2, true));
    assert_eq!(jet.mode(), RunMode::MultiInstance);
    assert_eq!(
        jet.get_system_parameter(None, JET_paramDatabasePageSize, 0)
            .unwrap()
            .integer(),
        16384
    );
    let (set, outcome) = jet.enable_multi_instance(&[]);
    assert_eq!(
        (set, outcome.unwrap_err().code()),
        (0, JET_errSystemParamsAlreadySet)
    );
    // Asked again with the same values: already set; with others: a
    // conflict, and nothing changes.
    let (_, outcome) = jet.enable_multi_instance(&[(JET_paramDatabasePageSize, 16384, None)]);
    assert_eq!(outcome.unwrap_err().code(), JET_errSystemParamsAlreadySet);
    let (_, outcome) = jet.enable_multi_instance(&[(JET_paramDatabasePageSize, 8192, None)]);
    assert_eq!(outcome.unwrap_err().code(), JET_errSystemParameterConflict);
    assert_eq!(
        jet.get_system_parameter(None, JET_paramDatabasePageSize, 0)
            .unwrap()
            .integer(),
        16384
    );
    // The new instance creates databases with the process's page size.
    let dir = scratch_dir();
    let instance = jet.create_instance(Some("paged")).unwrap();
    place(&jet, Some(instance), dir.path());
    jet.init(Some(instance)).unwrap();
    let session = jet.begin_session(Some(instance)).unwrap();
    let path = dir.path().join("paged.edb");
    let dbid = make_database(&session, &path);
    assert_eq!(session.get_database_info(dbid).unwrap().page_size, 16384);
    session.close_database(dbid, 0).unwrap();
    drop(session);
    jet.term(Some(instance)).unwrap();
}

#[test]
fn instance_parameters_belong_to_their_instance_and_fixed_ones_stop_at_init() {
    let dir = scratch_dir();
    let jet = Jet::new();
    // The process's value is the default of instances created later.
    jet.set_system_parameter(None, JET_paramMaxSessions, 3, None)
        .unwrap();
    let a = jet.create_instance(Some("a")).unwrap();
    let b = jet.create_instance(Some("b")).unwrap();
    jet.set_system_parameter(Some(b), JET_paramMaxSessions, 5, None)
        .unwrap();
    assert_eq!(
        jet.get_system_parameter(Some(a), JET_paramMaxSessions, 0)
            .unwrap()
            .integer(),
        3
    );
    assert_eq!(
        jet.get_system_parameter(Some(b), JET_paramMaxSessions, 0)
            .unwrap()
            .integer(),
        5
    );
    place(&jet, Some(a), &dir.path().join("a"));
    jet.init(Some(a)).unwrap();
    // JET_paramMaxSessions is applied: the fourth session is refused.
    let sessions: Vec<Session> = (0..3)
        .map(|_| jet.begin_session(Some(a)).unwrap())
        .collect();
    assert_eq!(code(jet.begin_session(Some(a))), JET_errOutOfSessions);
    assert_eq!(code(sessions[0].dup_session()), JET_errOutOfSessions);
    drop(sessions);
    let again = jet.begin_session(Some(a)).unwrap();
    // Fixed after JetInit; b, not yet initialised, still takes it.
    assert_eq!(
        code(jet.set_system_parameter(Some(a), JET_paramMaxSessions, 9, None)),
        JET_errAlreadyInitialized
    );
    jet.set_system_parameter(Some(b), JET_paramMaxSessions, 9, None)
        .unwrap();
    // A dynamic one changes on the running instance at once.
    jet.set_system_parameter(
        Some(a),
        JET_paramCommitDefault,
        u64::from(JET_bitCommitLazyFlush),
        None,
    )
    .unwrap();
    assert_eq!(
        jet.get_system_parameter(Some(a), JET_paramCommitDefault, 0)
            .unwrap()
            .integer(),
        u64::from(JET_bitCommitLazyFlush)
    );
    assert_eq!(
        jet.get_system_parameter(Some(b), JET_paramCommitDefault, 0)
            .unwrap()
            .integer(),
        0
    );
    // Without the directory and JET_paramCreatePathIfNotExist, JetInit
    // fails and the instance stays created, not running.
    let missing = dir.path().join("missing");
    let text = missing.to_str().unwrap();
    jet.set_system_parameter(Some(b), JET_paramSystemPath, 0, Some(text))
        .unwrap();
    jet.set_system_parameter(Some(b), JET_paramLogFilePath, 0, Some(text))
        .unwrap();
    assert_eq!(code(jet.init(Some(b))), JET_errInvalidPath);
    assert!(!missing.exists());
    jet.set_system_parameter(Some(b), JET_paramCreatePathIfNotExist, 1, None)
        .unwrap();
    jet.init(Some(b)).unwrap();
    assert!(missing.is_dir());
    // An unknown parameter, a read-only one, a handle that is none.
    assert_eq!(
        code(jet.set_system_parameter(None, 9_999, 0, None)),
        JET_errInvalidParameter
    );
    assert_eq!(
        code(jet.get_system_parameter(None, 9_999, 0)),
        JET_errInvalidParameter
    );
    assert_eq!(
        code(jet.set_system_parameter(None, JET_paramKeyMost, 255, None)),
        JET_errInvalidParameter
    );
    assert_eq!(
        code(jet.set_system_parameter(Some(12_345), JET_paramMaxSessions, 1, None)),
        JET_errInvalidInstance
    );
    assert_eq!(
        code(jet.get_system_parameter(Some(12_345), JET_paramMaxSessions, 0)),
        JET_errInvalidInstance
    );
    // Setting a fixed parameter to the value it has is no change, so it
    // succeeds (ESE compares first).
    jet.set_system_parameter(Some(a), JET_paramMaxSessions, 3, None)
        .unwrap();
    // A global parameter through an instance is the process's value.
    jet.set_system_parameter(Some(a), JET_paramCacheSizeMax, 5_000, None)
        .unwrap();
    assert_eq!(
        jet.get_system_parameter(Some(b), JET_paramCacheSizeMax, 0)
            .unwrap()
            .integer(),
        5_000
    );
    drop(again);
    jet.term(Some(a)).unwrap();
    jet.term(Some(b)).unwrap();
}

#[test]
fn informational_parameters_report_the_engine() {
    let jet = Jet::new();
    let text = jet
        .get_system_parameter(
            None,
            JET_paramErrorToString,
            JET_errClientRequestToStopJetService as u32 as u64,
        )
        .unwrap();
    assert_eq!(
        text.text(),
        "JET_errClientRequestToStopJetService, The client asked for the service to stop"
    );
    // The default page size is 4 KiB: keys up to 1000 bytes (ESE's
    // JET_cbKeyMost4KBytePage), long values in chunks of 4014.
    assert_eq!(
        jet.get_system_parameter(None, JET_paramKeyMost, 0).unwrap(),
        ParamValue::Integer(1000)
    );
    assert_eq!(
        jet.get_system_parameter(None, JET_paramLVChunkSizeMost, 0)
            .unwrap(),
        ParamValue::Integer(4014)
    );
    jet.set_system_parameter(None, JET_paramDatabasePageSize, 32768, None)
        .unwrap();
    assert_eq!(
        jet.get_system_parameter(None, JET_paramKeyMost, 0).unwrap(),
        ParamValue::Integer(2000)
    );
    assert_eq!(
        jet.get_system_parameter(None, JET_paramLVChunkSizeMost, 0)
            .unwrap(),
        ParamValue::Integer(8150)
    );
}

/// Every parameter through the API: its default; its range's ends taken
/// and the values beyond refused with nothing changed; its scope (an
/// instance's value is not another's; a global value is every
/// instance's); when it stops changing.
#[test]
fn every_parameter_keeps_its_default_range_scope_and_mutability() {
    for def in PARAMS {
        let jet = Jet::new();
        let dir = scratch_dir();
        let get =
            |instance: Option<JetInstance>| jet.get_system_parameter(instance, def.id, 0).unwrap();
        let name = def.name;
        if def.mutability == Mutability::ReadOnly {
            assert_eq!(
                code(jet.set_system_parameter(None, def.id, def.min, Some("x"))),
                JET_errInvalidParameter,
                "{name}"
            );
            continue;
        }
        if ![JET_paramCacheSize].contains(&def.id) {
            assert_eq!(get(None), def.default_value(), "{name}: default");
        }
        // The range: both ends, then beyond them.
        let (low, high, below, above) = match def.kind {
            Kind::String => (
                ParamValue::String("a".repeat(def.min as usize)),
                ParamValue::String("b".repeat(def.max as usize)),
                def.min.checked_sub(1).map(|n| "c".repeat(n as usize)),
                Some("d".repeat(def.max as usize + 1)),
            ),
            _ => (
                ParamValue::Integer(def.min),
                ParamValue::Integer(def.max),
                def.min.checked_sub(1).map(|n| n.to_string()),
                (def.max < u64::MAX && def.kind == Kind::Integer)
                    .then(|| (def.max + 1).to_string()),
            ),
        };
        let set = |instance: Option<JetInstance>, value: &ParamValue| {
            jet.set_system_parameter(instance, def.id, value.integer(), Some(value.text()))
        };
        let special = [
            JET_paramDatabasePageSize,
            JET_paramRecovery,
            JET_paramVerPageSize,
            JET_paramCommitDefault,
        ];
        if !special.contains(&def.id) {
            for value in [&low, &high] {
                set(None, value).unwrap_or_else(|e| panic!("{name} = {value:?}: {e}"));
                let expected = match (def.kind, value) {
                    (Kind::Boolean, ParamValue::Integer(n)) => {
                        ParamValue::Integer(u64::from(*n != 0))
                    }
                    _ => value.clone(),
                };
                assert_eq!(get(None), expected, "{name}");
            }
            for beyond in [below, above].into_iter().flatten() {
                let before = get(None);
                let value = match def.kind {
                    Kind::String => ParamValue::String(beyond),
                    _ => ParamValue::Integer(beyond.parse().unwrap()),
                };
                assert_eq!(
                    code(set(None, &value)),
                    JET_errInvalidParameter,
                    "{name} = {value:?}"
                );
                assert_eq!(get(None), before, "{name}: a refused value changed it");
            }
        }
        // Scope and mutability: two instances, one initialised.
        let a = jet.create_instance(Some("a")).unwrap();
        let b = jet.create_instance(Some("b")).unwrap();
        let value = if def.id == JET_paramRecovery {
            ParamValue::String("Off".into())
        } else if def.id == JET_paramDatabasePageSize {
            ParamValue::Integer(8192)
        } else if def.id == JET_paramCommitDefault {
            ParamValue::Integer(u64::from(JET_bitCommitLazyFlush))
        } else {
            low.clone()
        };
        match def.scope {
            Scope::Instance => {
                set(Some(a), &value).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(get(Some(a)), value, "{name}");
                if value != get(None) {
                    assert_ne!(get(Some(b)), value, "{name}: set on a, seen on b");
                }
            }
            Scope::Global => {
                let outcome = set(Some(a), &value);
                if def.mutability == Mutability::UntilGlobalInit {
                    // Fixed once an instance exists.
                    assert_eq!(code(outcome), JET_errAlreadyInitialized, "{name}");
                } else {
                    outcome.unwrap_or_else(|e| panic!("{name}: {e}"));
                    if def.id != JET_paramCacheSize {
                        assert_eq!(get(Some(b)), value, "{name}: global, seen by b");
                    }
                }
            }
        }
        // After a's JetInit.
        if def.scope == Scope::Instance {
            for (instance, sub) in [(a, "a"), (b, "b")] {
                place(&jet, Some(instance), &dir.path().join(sub));
            }
            // The page size and recovery stay valid for starting a.
            let kept = [
                JET_paramSystemPath,
                JET_paramLogFilePath,
                JET_paramBaseName,
                JET_paramCreatePathIfNotExist,
            ];
            if !kept.contains(&def.id) {
                let _ =
                    jet.set_system_parameter(Some(a), def.id, def.default, Some(def.default_text));
            }
            if def.id == JET_paramMaxSessions {
                jet.set_system_parameter(Some(a), def.id, 16, None).unwrap();
            }
            jet.init(Some(a))
                .unwrap_or_else(|e| panic!("{name}: JetInit: {e}"));
            // A value other than the one it has (setting the same value
            // is no change, and succeeds).
            let again = if def.id == JET_paramSystemPath || def.id == JET_paramLogFilePath {
                ParamValue::String(dir.path().join("elsewhere").to_str().unwrap().to_string())
            } else if get(Some(a)) == low {
                high.clone()
            } else {
                low.clone()
            };
            let outcome = set(Some(a), &again);
            match def.mutability {
                Mutability::Dynamic => {
                    outcome.unwrap_or_else(|e| panic!("{name}: dynamic: {e}"));
                    assert_eq!(get(Some(a)), again, "{name}");
                }
                _ => {
                    assert_eq!(code(outcome), JET_errAlreadyInitialized, "{name}");
                }
            }
            jet.term(Some(a)).unwrap();
        } else {
            jet.term(Some(a)).unwrap();
        }
        jet.term(Some(b)).unwrap();
    }
}

/// The parameter table against Microsoft's parameter pages: each page's
/// number, scope, default, range and "set after" rows, where the page
/// gives one value (or a value for Windows Vista and later).
#[test]
fn the_parameter_table_matches_the_documentation() {
    let Some(docs) = ese_testkit::reference_docs_dir() else {
        return;
    };
    let mut documented = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir(&docs).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_str().unwrap().to_string();
        if !file.ends_with("-parameters.md") || file.starts_with("esent") {
            continue;
        }
        parse_parameter_page(&std::fs::read_to_string(&path).unwrap(), &mut documented);
    }
    assert!(
        documented.len() > 80,
        "{} parameters parsed",
        documented.len()
    );
    // Where the engine departs from the page, and why.
    let departures: &[(&str, &str)] = &[
        ("JET_paramSystemPath", "default ./ for .\\ (a Unix path)"),
        ("JET_paramLogFilePath", "default ./ for .\\ (a Unix path)"),
        ("JET_paramDatabasePageSize", "the page lists 2048-8192 (Windows 2000); ESE today takes 4096-32768 and so does this engine"),
        ("JET_paramCacheSize", "default: the pages the cache holds"),
        ("JET_paramCacheSizeMin", "range and scope as for Windows Vista"),
        ("JET_paramCacheSizeMax", "range as for Windows Vista"),
        ("JET_paramCheckpointDepthMax", "the page's scope cell names Windows versions only"),
        ("JET_paramStartFlushThreshold", "range as for Windows Vista"),
        ("JET_paramStopFlushThreshold", "range as for Windows Vista"),
        ("JET_paramEnableOnlineDefrag", "a grbit for Windows XP and later"),
        ("JET_paramLegacyFileNames", "a grbit"),
        ("JET_paramCommitDefault", "a grbit"),
        ("JET_paramErrorToString", "special"),
        ("JET_paramKeyMost", "depends on the page size"),
        ("JET_paramMaxColtyp", "a column type"),
        ("JET_paramLVChunkSizeMost", "depends on the page size"),
        ("JET_paramExceptionAction", "named values"),
        ("JET_paramPreferredVerPages", "the Windows Vista default"),
        ("JET_paramOSSnapshotTimeout", "the first listed default"),
        ("JET_paramVerPageSize", "powers of two"),
        ("JET_paramRecovery", "\"On\" or \"Off\""),
        ("JET_paramEnableIndexChecking", "the page says Instance scope yet not settable after JetCreateInstance; kept per instance until its JetInit"),
    ];
    let mut compared = 0;
    for def in PARAMS {
        let Some(row) = documented.get(def.name) else {
            continue;
        };
        assert_eq!(row.id, def.id, "{}: number", def.name);
        if departures.iter().any(|(name, _)| *name == def.name) {
            continue;
        }
        compared += 1;
        if let Some(scope) = row.scope.as_deref() {
            let expected = match scope {
                "Global" => Some(Scope::Global),
                "Instance" | "Instance or Session" => Some(Scope::Instance),
                _ => None,
            };
            if let Some(expected) = expected {
                assert_eq!(def.scope, expected, "{}: scope", def.name);
            }
        }
        if let (Some(after_create), Some(after_init)) = (row.after_create, row.after_init) {
            let expected = match (after_create, after_init) {
                (false, _) => Mutability::UntilGlobalInit,
                (true, false) => Mutability::UntilInstanceInit,
                (true, true) => Mutability::Dynamic,
            };
            assert_eq!(def.mutability, expected, "{}: mutability", def.name);
        }
        if let Some(default) = row.default.as_deref() {
            match def.kind {
                Kind::Integer => {
                    if let Ok(n) = default.parse::<u64>() {
                        assert_eq!(def.default, n, "{}: default", def.name);
                    }
                }
                Kind::Boolean => match default {
                    "True" => assert_eq!(def.default, 1, "{}: default", def.name),
                    "False" => assert_eq!(def.default, 0, "{}: default", def.name),
                    _ => {}
                },
                Kind::String => {
                    if let Some(text) = default.strip_prefix('"').and_then(|d| d.strip_suffix('"'))
                    {
                        assert_eq!(def.default_text, text, "{}: default", def.name);
                    }
                }
            }
        }
        if let Some((min, max)) = row.range {
            match def.kind {
                Kind::Integer => {
                    assert_eq!((def.min, def.max), (min, max), "{}: range", def.name)
                }
                Kind::String => assert_eq!(def.max, max, "{}: length", def.name),
                Kind::Boolean => {}
            }
        }
    }
    println!("{compared} parameters compared with their pages");
    assert!(compared > 50, "{compared}");
}

#[derive(Debug, Default)]
struct DocumentedParam {
    id: u32,
    default: Option<String>,
    scope: Option<String>,
    range: Option<(u64, u64)>,
    after_create: Option<bool>,
    after_init: Option<bool>,
}

/// The page's value for Windows Vista and later where it lists versions.
fn modern(cell: &str) -> String {
    match cell.rfind("Windows Vista:") {
        Some(at) => {
            let rest = cell[at + "Windows Vista:".len()..].trim();
            rest.strip_prefix("For Windows Vista and later:")
                .unwrap_or(rest)
                .trim()
                .to_string()
        }
        None => cell.trim().to_string(),
    }
}

fn parse_parameter_page(text: &str, out: &mut std::collections::BTreeMap<String, DocumentedParam>) {
    let plain: String = {
        let mut plain = String::new();
        let mut in_tag = false;
        for c in text.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => {
                    in_tag = false;
                    plain.push(' ');
                }
                _ if !in_tag => plain.push(c),
                _ => {}
            }
        }
        plain
    };
    let lines: Vec<&str> = plain
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut current: Option<String> = None;
    for (i, line) in lines.iter().enumerate() {
        let name = line.trim_matches('*').trim();
        if name.starts_with("JET_param")
            && !name.contains(' ')
            && lines.get(i + 1).is_some_and(|n| n.parse::<u32>().is_ok())
        {
            let id = lines[i + 1].parse().unwrap();
            current = Some(name.to_string());
            out.entry(name.to_string()).or_insert(DocumentedParam {
                id,
                ..Default::default()
            });
            continue;
        }
        let Some(name) = &current else { continue };
        let Some(cells) = line.strip_prefix('|').and_then(|l| l.strip_suffix('|')) else {
            continue;
        };
        let mut cells = cells
            .split('|')
            .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "));
        let (Some(label), Some(value)) = (cells.next(), cells.next()) else {
            continue;
        };
        let label = label.trim_end_matches(':').trim().to_string();
        let value = modern(&value);
        let entry = out.get_mut(name).unwrap();
        let yes_no = |v: &str| match v {
            "Yes" => Some(true),
            "No" => Some(false),
            _ => None,
        };
        match label.as_str() {
            "Default Value" => entry.default = Some(value),
            "Scope" => entry.scope = Some(value),
            "Set After JetCreateInstance" => entry.after_create = yes_no(&value),
            "Set after JetInit" => entry.after_init = yes_no(&value),
            "Valid Range" => {
                let parts: Vec<&str> = value
                    .split(['–', '-'])
                    .map(|p| p.trim().trim_end_matches(" characters"))
                    .collect();
                if let [low, high] = parts[..] {
                    if let (Ok(low), Ok(high)) = (low.parse(), high.parse()) {
                        entry.range = Some((low, high));
                    }
                }
            }
            _ => {}
        }
    }
}

/// The process's own registry (the one the C interface will use): the
/// same life cycle as `legacy_mode_runs_one_global_instance`, in
/// multi-instance mode this time. Only this test touches it.
#[test]
fn the_process_registry_runs_the_same_life_cycle() {
    let jet = Jet::global();
    let dir = scratch_dir();
    let handle = jet.create_instance2(Some("global-test"), None, 0).unwrap();
    place(jet, Some(handle), dir.path());
    jet.init(Some(handle)).unwrap();
    let session = jet.begin_session(Some(handle)).unwrap();
    let path = dir.path().join("global.edb");
    let dbid = make_database(&session, &path);
    assert_eq!(code(jet.stop_service()), JET_errRunningInMultiInstanceMode);
    jet.stop_service_instance(handle).unwrap();
    assert_eq!(
        code(session.open_table(dbid, "t", 0)),
        JET_errClientRequestToStopJetService
    );
    session.close_database(dbid, 0).unwrap();
    drop(session);
    jet.term(Some(handle)).unwrap();
    assert_eq!(header_state(&path), JET_dbstateCleanShutdown);
    assert_eq!(jet.mode(), RunMode::NotSet);
}

/// docs/PARAMETERS.md lists every parameter with its scope and whether
/// the engine applies it, as the table says.
#[test]
fn the_parameter_document_lists_every_parameter() {
    let document = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/PARAMETERS.md"),
    )
    .unwrap();
    for def in PARAMS {
        let row = document
            .lines()
            .find(|l| l.starts_with(&format!("| {} |", def.name)))
            .unwrap_or_else(|| panic!("{} is not in docs/PARAMETERS.md", def.name));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let scope = match def.scope {
            Scope::Global => "global",
            Scope::Instance => "instance",
        };
        assert_eq!(cells[3], scope, "{row}");
        let effect = if def.applied { "applied" } else { "accepted" };
        assert_eq!(cells[7], effect, "{row}");
    }
}

/// JET_paramDbExtensionSize: the file grows by that many pages, and a
/// change on a running instance applies to the databases attached.
#[test]
fn db_extension_size_sets_how_the_file_grows() {
    let dir = scratch_dir();
    let jet = Jet::new();
    let handle = jet.create_instance(Some("growth")).unwrap();
    place(&jet, Some(handle), dir.path());
    jet.set_system_parameter(Some(handle), JET_paramDbExtensionSize, 16, None)
        .unwrap();
    jet.init(Some(handle)).unwrap();
    let session = jet.begin_session(Some(handle)).unwrap();
    let fill = |name: &str| -> u32 {
        let path = dir.path().join(name);
        let dbid = session.create_database(&path, 0).unwrap();
        let before = session.get_database_info(dbid).unwrap().pages;
        let mut cursor = session.create_table(dbid, "t", 0, 100).unwrap();
        let column = cursor
            .add_column(&ColumnCreate::new("C", JET_coltypLongBinary, 0))
            .unwrap();
        session.begin_transaction().unwrap();
        for _ in 0..2000 {
            cursor.prepare_update(JET_prepInsert).unwrap();
            cursor
                .set_column(column, Some(&[7u8; 900]), 0, None)
                .unwrap();
            cursor.update().unwrap();
        }
        session.commit_transaction(0).unwrap();
        drop(cursor);
        let after = session.get_database_info(dbid).unwrap().pages;
        session.close_database(dbid, 0).unwrap();
        assert!(after > before, "{name}: the file never grew");
        after
    };
    let small = fill("small.edb");
    jet.set_system_parameter(Some(handle), JET_paramDbExtensionSize, 2048, None)
        .unwrap();
    let large = fill("large.edb");
    println!("2000 records of 900 bytes: {small} pages growing by 16, {large} growing by 2048");
    assert!(small < 700, "{small}");
    // One step of 2048 pages (the file aligned to the extension, its two
    // header pages included).
    assert!(large + 2 >= 2048, "{large}");
    drop(session);
    jet.term(Some(handle)).unwrap();
}

#[test]
fn jet_init3_with_a_restore_map_recovers_a_database_that_moved() {
    let dir = scratch_dir();
    let system = dir.path().join("system");
    let (old, new) = (
        dir.path().join("a.edb"),
        dir.path().join("moved").join("b.edb"),
    );
    let jet = Jet::new();
    place(&jet, None, &system);
    jet.init(None).unwrap();
    let instance = jet.instance(None).unwrap();
    let session = instance.begin_session().unwrap();
    make_database(&session, &old);
    drop(session);
    drop(instance);
    // Down without writing the database: the log holds the row.
    assert_eq!(
        code(jet.term2(None, JET_bitTermDirty)),
        JET_errDirtyShutdown
    );
    assert_ne!(header_state(&old), JET_dbstateCleanShutdown);
    std::fs::create_dir_all(new.parent().unwrap()).unwrap();
    std::fs::rename(&old, &new).unwrap();
    // JetInit3 with a JET_RSTINFO whose JET_RSTMAP says where it went.
    place(&jet, None, &system);
    jet.init3_with(None, Some(&[(old.clone(), new.clone())]), 0)
        .unwrap();
    assert_eq!(header_state(&new), JET_dbstateCleanShutdown);
    let instance = jet.instance(None).unwrap();
    let session = instance.begin_session().unwrap();
    session.attach_database(&new, 0).unwrap();
    let dbid = session.open_database(&new, 0).unwrap();
    let mut cursor = session.open_table(dbid, "t", 0).unwrap();
    let column = cursor.get_table_column_info("C").unwrap().column_id;
    cursor.move_(JET_MoveFirst, 0).unwrap();
    assert_eq!(
        cursor.retrieve(column, 0).unwrap().unwrap(),
        7i32.to_le_bytes()
    );
    assert!(!old.exists());
    drop(cursor);
    drop(session);
    drop(instance);
    jet.term(None).unwrap();
}
