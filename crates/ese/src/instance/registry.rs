//! The process's instances (ESE: the instance table, runInstMode): the
//! JET API's handle-based life cycle over [`Instance`], as the C interface
//! will expose it.
//!
//! The engine runs in one of two modes, fixed by the first call that
//! needs one and forgotten when the last instance ends:
//!
//! - legacy (Windows 2000) single-instance mode: JetInit with no instance
//!   created starts the one global instance, which JetTerm with a null
//!   handle ends and JetStopService prepares for its end;
//! - multi-instance mode: JetCreateInstance / JetCreateInstance2 (or
//!   JetEnableMultiInstance) allocate named instances, each initialised
//!   by JetInit and ended by JetTerm; the legacy JetStopService is then
//!   `JET_errRunningInMultiInstanceMode` and JetCreateInstance in legacy
//!   mode `JET_errRunningInOneInstanceMode`.
//!
//! System parameters live here too: the process's values (global
//! parameters, and the defaults of instance parameters) and each
//! instance's own. [`InstanceOptions`] is built from them at JetInit.
//!
//! [`Jet::global`] is the process's registry, the one the C interface
//! uses; [`Jet::new`] makes an independent one (a test's own "process").

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use crate::codes::*;
use crate::grbit::check_grbit;
use crate::grbit::*;
use crate::instance::inner::InstanceOptions;
use crate::instance::lifecycle::Instance;
use crate::instance::mutex::lock;
use crate::instance::params::*;
use crate::instance::session::Session;
use crate::{Error, Result};

/// A JET_INSTANCE: the handle of an instance of a [`Jet`].
pub type JetInstance = u64;

/// JET_instanceNil.
pub const JET_instanceNil: JetInstance = u64::MAX;

/// JetInit3's option bits.
pub const JET_bitReplayIgnoreMissingDB: u32 = 0x4;
pub const JET_bitRecoveryWithoutUndo: u32 = 0x8;
pub const JET_bitTruncateLogsAfterRecovery: u32 = 0x10;
pub const JET_bitReplayMissingMapEntryDB: u32 = 0x20;
pub const JET_bitLogStreamMustExist: u32 = 0x40;
pub const JET_bitReplayIgnoreLostLogs: u32 = 0x80;

/// The engine's mode (ESE: runInstMode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunMode {
    /// No instance yet.
    NotSet,
    /// Legacy single-instance mode (JetInit without JetCreateInstance).
    OneInstance,
    /// Multi-instance mode (JetCreateInstance, JetEnableMultiInstance).
    MultiInstance,
}

/// One entry of JetGetInstanceInfo (JET_INSTANCE_INFO).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceInfo {
    pub instance: JetInstance,
    /// The instance's name (`None` for an unnamed one).
    pub name: Option<String>,
    /// The display name, else the name, else "".
    pub display_name: String,
    /// The databases attached to it.
    pub databases: Vec<PathBuf>,
}

/// An instance of the registry: created, then running.
struct Slot {
    name: Option<String>,
    display_name: Option<String>,
    params: ParamSet,
    running: Option<Instance>,
}

struct State {
    mode: RunMode,
    instances: BTreeMap<JetInstance, Slot>,
    next_handle: JetInstance,
    /// Global parameters, and the defaults of instance parameters.
    global: ParamSet,
    /// The legacy mode's instance.
    legacy: Option<JetInstance>,
}

impl State {
    /// A new instance, created (not running), starting from the process's
    /// parameter values as they are now; returns its handle.
    fn add_instance(&mut self, name: Option<&str>, display_name: Option<&str>) -> JetInstance {
        let handle = self.next_handle;
        self.next_handle += 1;
        let params = self.global.clone();
        self.instances.insert(
            handle,
            Slot {
                name: name.map(str::to_string),
                display_name: display_name.map(str::to_string),
                params,
                running: None,
            },
        );
        handle
    }
}

/// ESE's process-wide state: the mode, the instances, the parameters.
pub struct Jet {
    state: Mutex<State>,
}

impl Default for Jet {
    fn default() -> Self {
        Self::new()
    }
}

fn invalid_instance(handle: JetInstance) -> Error {
    Error::new(JET_errInvalidParameter).with_detail(format!("{handle:#x} is not an instance"))
}

impl Jet {
    /// A registry of its own, with no instance (for tests; programs use
    /// [`Jet::global`]).
    pub fn new() -> Self {
        Jet {
            state: Mutex::new(State {
                mode: RunMode::NotSet,
                instances: BTreeMap::new(),
                next_handle: 1,
                global: ParamSet::default(),
                legacy: None,
            }),
        }
    }

    /// The process's registry.
    pub fn global() -> &'static Jet {
        static GLOBAL: OnceLock<Jet> = OnceLock::new();
        GLOBAL.get_or_init(Jet::new)
    }

    /// The engine's mode now.
    pub fn mode(&self) -> RunMode {
        lock(&self.state).mode
    }

    /// JetCreateInstance.
    pub fn create_instance(&self, name: Option<&str>) -> Result<JetInstance> {
        self.create_instance2(name, None, 0)
    }

    /// JetCreateInstance2: a new instance in multi-instance mode, with the
    /// process's parameter values. Names are unique in the process (one
    /// instance may be unnamed): `JET_errInstanceNameInUse`;
    /// `JET_errTooManyInstances` beyond JET_paramMaxInstances;
    /// `JET_errRunningInOneInstanceMode` after a legacy JetInit.
    pub fn create_instance2(
        &self,
        name: Option<&str>,
        display_name: Option<&str>,
        grbit: u32,
    ) -> Result<JetInstance> {
        check_grbit(grbit, 0, "JetCreateInstance2")?;
        let mut state = lock(&self.state);
        if state.mode == RunMode::OneInstance {
            return Err(Error::new(JET_errRunningInOneInstanceMode));
        }
        if state.instances.values().any(|s| s.name.as_deref() == name) {
            return Err(Error::new(JET_errInstanceNameInUse)
                .with_detail(format!("{:?}", name.unwrap_or("(no name)"))));
        }
        let max = state.global.get_or(JET_paramMaxInstances, None).integer();
        if state.instances.len() as u64 >= max {
            return Err(Error::new(JET_errTooManyInstances)
                .with_detail(format!("JET_paramMaxInstances is {max}")));
        }
        state.mode = RunMode::MultiInstance;
        let handle = state.add_instance(name, display_name);
        Ok(handle)
    }

    /// JetEnableMultiInstance: sets the global parameters given, then
    /// enters multi-instance mode. `JET_errSystemParamsAlreadySet` when
    /// in it already, `JET_errRunningInOneInstanceMode` in legacy mode.
    /// Returns how many parameters were set with the outcome: on a failed
    /// parameter the mode stays as it was and those before it stay set.
    pub fn enable_multi_instance(
        &self,
        params: &[(u32, u64, Option<&str>)],
    ) -> (usize, Result<()>) {
        let mut state = lock(&self.state);
        match state.mode {
            RunMode::OneInstance => return (0, Err(Error::new(JET_errRunningInOneInstanceMode))),
            RunMode::MultiInstance => {
                // Asked again: the same values are "already set", others
                // conflict.
                let conflict = params.iter().any(|&(id, number, text)| {
                    param_def(id)
                        .and_then(|def| def.check(number, text))
                        .map_or(true, |value| state.global.get_or(id, None) != value)
                });
                let code = if conflict {
                    JET_errSystemParameterConflict
                } else {
                    JET_errSystemParamsAlreadySet
                };
                return (0, Err(Error::new(code)));
            }
            RunMode::NotSet => {}
        }
        for (done, &(id, number, text)) in params.iter().enumerate() {
            let outcome = param_def(id).and_then(|def| {
                if def.mutability == Mutability::ReadOnly {
                    return Err(read_only(def));
                }
                def.check(number, text)
                    .and_then(|value| check_value(def, &value).map(|()| value))
            });
            match outcome {
                Ok(value) => state.global.set(id, value),
                Err(e) => return (done, Err(e)),
            }
        }
        state.mode = RunMode::MultiInstance;
        (params.len(), Ok(()))
    }

    /// JetInit.
    pub fn init(&self, instance: Option<JetInstance>) -> Result<JetInstance> {
        self.init3(instance, 0)
    }

    /// JetInit3 (JetInit2's bits are the same): starts `instance`, running
    /// crash recovery when its log needs it. In legacy mode (no instance
    /// created) `instance` is `None` or [`JET_instanceNil`] and the global
    /// instance is made and returned. `JET_errAlreadyInitialized` for an
    /// instance already running. The recovery bits beyond
    /// `JET_bitReplayIgnoreMissingDB` (always the behaviour here: a
    /// missing database is skipped) are refused with
    /// `JET_errInvalidGrbit` rather than ignored.
    pub fn init3(&self, instance: Option<JetInstance>, grbit: u32) -> Result<JetInstance> {
        self.init3_with(instance, None, grbit)
    }

    /// JetInit3 with a JET_RSTINFO: its JET_RSTMAP pairs name where each
    /// database the log changes is now (recovery replays into the second
    /// path of a pair what the log says of the first). Stopping the replay
    /// at a log position (lgposStop, logtimeStop) is not offered.
    pub fn init3_with(
        &self,
        instance: Option<JetInstance>,
        restore_map: Option<&[(PathBuf, PathBuf)]>,
        grbit: u32,
    ) -> Result<JetInstance> {
        check_grbit(grbit, JET_bitReplayIgnoreMissingDB, "JetInit3")?;
        let mut state = lock(&self.state);
        let handle = match (
            state.mode,
            instance.filter(|&h| h != JET_instanceNil && h != 0),
        ) {
            (RunMode::MultiInstance, None) => {
                return Err(Error::new(JET_errRunningInMultiInstanceMode)
                    .with_detail("JetInit needs an instance from JetCreateInstance"));
            }
            (RunMode::MultiInstance, Some(handle)) => handle,
            (RunMode::OneInstance, _) => {
                return Err(Error::new(JET_errAlreadyInitialized)
                    .with_detail("the legacy instance is running"));
            }
            (RunMode::NotSet, Some(handle)) => return Err(invalid_instance(handle)),
            (RunMode::NotSet, None) => {
                let handle = state.add_instance(None, None);
                state.mode = RunMode::OneInstance;
                state.legacy = Some(handle);
                handle
            }
        };
        let global = state.global.clone();
        let slot = state
            .instances
            .get_mut(&handle)
            .ok_or_else(|| invalid_instance(handle))?;
        if slot.running.is_some() {
            return Err(Error::new(JET_errAlreadyInitialized));
        }
        let started = instance_options(&slot.params, &global)
            .map(|mut options| {
                options.log.restore_map = restore_map.map(<[_]>::to_vec).unwrap_or_default();
                options
            })
            .and_then(Instance::new);
        match started {
            Ok(running) => {
                slot.running = Some(running);
                Ok(handle)
            }
            Err(e) => {
                // A legacy instance that failed to start is not there.
                if state.legacy == Some(handle) {
                    state.instances.remove(&handle);
                    state.legacy = None;
                    state.mode = RunMode::NotSet;
                }
                Err(e)
            }
        }
    }

    /// The options JetExternalRestore runs with: the process's parameters
    /// (it needs no instance). `JET_errRunningInOneInstanceMode` while the
    /// legacy instance runs, as ESENT refuses hard recovery then.
    pub(crate) fn options_for_external_restore(&self) -> Result<InstanceOptions> {
        let state = lock(&self.state);
        if state.mode == RunMode::OneInstance
            && state
                .legacy
                .is_some_and(|h| state.instances.get(&h).is_some_and(|s| s.running.is_some()))
        {
            return Err(Error::new(JET_errRunningInOneInstanceMode)
                .with_detail("external restore while the legacy instance runs"));
        }
        instance_options(&state.global, &state.global)
    }

    /// The options a restore runs with for `instance` (JetRestoreInstance:
    /// an instance created but not running, `JET_errAlreadyInitialized`
    /// for one that runs; `None`: the process's, in legacy mode before
    /// JetInit). The restore itself is `backup::restore`'s.
    pub(crate) fn options_for_restore(
        &self,
        instance: Option<JetInstance>,
    ) -> Result<InstanceOptions> {
        let state = lock(&self.state);
        match instance.filter(|&h| h != JET_instanceNil && h != 0) {
            Some(handle) => {
                let slot = state
                    .instances
                    .get(&handle)
                    .ok_or_else(|| invalid_instance(handle))?;
                if slot.running.is_some() {
                    return Err(Error::new(JET_errAlreadyInitialized)
                        .with_detail("JetRestoreInstance needs an instance not initialized"));
                }
                instance_options(&slot.params, &state.global)
            }
            None => {
                if state.mode == RunMode::MultiInstance {
                    return Err(Error::new(JET_errRunningInMultiInstanceMode));
                }
                if state
                    .legacy
                    .is_some_and(|h| state.instances.get(&h).is_some_and(|s| s.running.is_some()))
                {
                    return Err(Error::new(JET_errAlreadyInitialized));
                }
                instance_options(&state.global, &state.global)
            }
        }
    }

    /// The running instance behind a handle (`None`: the legacy one).
    pub fn instance(&self, instance: Option<JetInstance>) -> Result<Instance> {
        let state = lock(&self.state);
        let handle = resolve(&state, instance)?;
        state
            .instances
            .get(&handle)
            .and_then(|s| s.running.clone())
            .ok_or_else(|| Error::new(JET_errNotInitialized))
    }

    /// JetBeginSession on an instance (`None`: the legacy one).
    pub fn begin_session(&self, instance: Option<JetInstance>) -> Result<Session> {
        self.instance(instance)?.begin_session()
    }

    /// JetTerm.
    pub fn term(&self, instance: Option<JetInstance>) -> Result<()> {
        self.term2(instance, 0)
    }

    /// JetTerm2: ends a running instance as [`Instance::term2`] does, or
    /// frees one that was created and never initialised. In legacy mode
    /// `instance` may be `None`. `JET_errInvalidParameter` for a handle
    /// that is not an instance; a usage error (`JET_errInvalidGrbit`,
    /// `JET_errTooManyActiveUsers`) leaves the instance running. When the
    /// last instance ends the mode is forgotten.
    pub fn term2(&self, instance: Option<JetInstance>, grbit: u32) -> Result<()> {
        let (handle, running) = {
            let state = lock(&self.state);
            let handle = resolve(&state, instance)?;
            let slot = state
                .instances
                .get(&handle)
                .ok_or_else(|| invalid_instance(handle))?;
            (handle, slot.running.clone())
        };
        let outcome = match running {
            Some(running) => {
                let outcome = running.term2(grbit);
                if let Err(e) = &outcome {
                    // A usage error leaves it running; a term already under
                    // way on another thread owns the handle's removal.
                    if matches!(
                        e.code(),
                        JET_errInvalidGrbit | JET_errTooManyActiveUsers | JET_errTermInProgress
                    ) {
                        return outcome;
                    }
                }
                outcome
            }
            None => check_grbit(
                grbit,
                JET_bitTermComplete | JET_bitTermAbrupt | JET_bitTermStopBackup | JET_bitTermDirty,
                "JetTerm2",
            ),
        };
        let mut state = lock(&self.state);
        state.instances.remove(&handle);
        if state.legacy == Some(handle) {
            state.legacy = None;
        }
        if state.instances.is_empty() {
            state.mode = RunMode::NotSet;
        }
        outcome
    }

    /// JetStopService (legacy): prepares the legacy instance for its end.
    /// `JET_errRunningInMultiInstanceMode` in multi-instance mode,
    /// `JET_errNotInitialized` with no instance running.
    pub fn stop_service(&self) -> Result<()> {
        self.legacy_instance()?.stop_service_instance()
    }

    /// The running instance `instance` names: `JET_errInvalidParameter`
    /// for a handle that is not a running instance.
    pub(crate) fn running_instance(&self, instance: JetInstance) -> Result<Instance> {
        let state = lock(&self.state);
        state
            .instances
            .get(&instance)
            .and_then(|s| s.running.clone())
            .ok_or_else(|| invalid_instance(instance))
    }

    /// The running legacy instance (for the calls without an instance
    /// handle): `JET_errRunningInMultiInstanceMode` in multi-instance mode.
    pub(crate) fn legacy_instance(&self) -> Result<Instance> {
        let state = lock(&self.state);
        match state.mode {
            RunMode::MultiInstance => return Err(Error::new(JET_errRunningInMultiInstanceMode)),
            RunMode::NotSet => return Err(Error::new(JET_errNotInitialized)),
            RunMode::OneInstance => {}
        }
        state
            .legacy
            .and_then(|h| state.instances.get(&h))
            .and_then(|s| s.running.clone())
            .ok_or_else(|| Error::new(JET_errNotInitialized))
    }

    /// JetStopServiceInstance: `JET_errInvalidParameter` for a handle that
    /// is not a running instance.
    pub fn stop_service_instance(&self, instance: JetInstance) -> Result<()> {
        self.stop_service_instance2(instance, JET_bitStopServiceAll)
    }

    /// JetStopServiceInstance2 (see [`Instance::stop_service`]).
    pub fn stop_service_instance2(&self, instance: JetInstance, grbit: u32) -> Result<()> {
        let running = {
            let state = lock(&self.state);
            state
                .instances
                .get(&instance)
                .and_then(|s| s.running.clone())
                .ok_or_else(|| invalid_instance(instance))?
        };
        running.stop_service(grbit)
    }

    /// JetGetInstanceInfo: the running instances, with their names and
    /// attached databases.
    pub fn get_instance_info(&self) -> Result<Vec<InstanceInfo>> {
        let state = lock(&self.state);
        Ok(state
            .instances
            .iter()
            .filter_map(|(&handle, slot)| {
                let running = slot.running.as_ref()?;
                Some(InstanceInfo {
                    instance: handle,
                    name: slot.name.clone(),
                    display_name: slot
                        .display_name
                        .clone()
                        .or_else(|| slot.name.clone())
                        .unwrap_or_default(),
                    databases: running.attached_database_paths(),
                })
            })
            .collect())
    }

    /// JetSetSystemParameter: `instance` `None` sets the process's value
    /// (a global parameter, or the default of an instance parameter for
    /// instances created afterwards) or, in legacy mode once the instance
    /// is created, the legacy instance's. See the module `params` for
    /// scopes and when each may change (`JET_errAlreadyInitialized`).
    pub fn set_system_parameter(
        &self,
        instance: Option<JetInstance>,
        param: u32,
        number: u64,
        text: Option<&str>,
    ) -> Result<()> {
        let def = param_def(param)?;
        if def.mutability == Mutability::ReadOnly {
            return Err(read_only(def));
        }
        let mut state = lock(&self.state);
        let target = target(&state, instance)?;
        // The value as it stands: setting it again succeeds whatever the
        // state (ESE compares before anything else; strings, compared by
        // pointer there, never match).
        let current = match (def.scope, target) {
            (Scope::Instance, Some(handle)) => state.instances[&handle]
                .params
                .get_or(param, Some(&state.global)),
            _ => state.global.get_or(param, None),
        };
        if def.kind != Kind::String && current == ParamValue::Integer(number) {
            return Ok(());
        }
        match def.scope {
            Scope::Global => {
                if def.mutability == Mutability::UntilGlobalInit && state.mode != RunMode::NotSet {
                    return Err(already_initialized(def));
                }
                let value = def.check(number, text)?;
                check_value(def, &value)?;
                // Dynamic global parameters reach every running instance.
                // All or none: when one refuses (a cache that cannot shrink
                // for a failed write), those already changed get the old
                // value back and the process's value stays.
                let running: Vec<&Instance> = state
                    .instances
                    .values()
                    .filter_map(|slot| slot.running.as_ref())
                    .collect();
                for (done, instance) in running.iter().enumerate() {
                    if let Err(e) = instance.apply_parameter(param, &value) {
                        for changed in &running[..done] {
                            let _ = changed.apply_parameter(param, &current);
                        }
                        return Err(e);
                    }
                }
                state.global.set(param, value);
                Ok(())
            }
            Scope::Instance => {
                let Some(handle) = target else {
                    let value = def.check(number, text)?;
                    check_value(def, &value)?;
                    state.global.set(param, value);
                    return Ok(());
                };
                let slot = state
                    .instances
                    .get_mut(&handle)
                    .ok_or_else(|| invalid_instance(handle))?;
                if slot.running.is_some() && def.mutability != Mutability::Dynamic {
                    return Err(already_initialized(def));
                }
                let value = def.check(number, text)?;
                check_value(def, &value)?;
                if let Some(running) = &slot.running {
                    running.apply_parameter(param, &value)?;
                }
                slot.params.set(param, value);
                Ok(())
            }
        }
    }

    /// JetGetSystemParameter: the instance's value (`None`: the process's,
    /// or the legacy instance's). `JET_paramErrorToString` takes the error
    /// number in `number` and returns its name and description.
    pub fn get_system_parameter(
        &self,
        instance: Option<JetInstance>,
        param: u32,
        number: u64,
    ) -> Result<ParamValue> {
        let def = param_def(param)?;
        let state = lock(&self.state);
        let target = target(&state, instance)?;
        let slot = target.and_then(|h| state.instances.get(&h));
        let page_size = state
            .global
            .get_or(JET_paramDatabasePageSize, None)
            .integer() as usize;
        Ok(match param {
            JET_paramErrorToString => {
                let code = number as u32 as i32;
                ParamValue::String(format!(
                    "{}, {}",
                    ese_format::codes::name_of(code),
                    ese_format::codes::description_of(code)
                ))
            }
            JET_paramKeyMost => {
                ParamValue::Integer(ese_format::constants::max_key_size(page_size) as u64)
            }
            JET_paramLVChunkSizeMost => ParamValue::Integer(
                crate::storage::long_value_write::chunk_size(page_size, None) as u64,
            ),
            JET_paramCacheSize => match slot.and_then(|s| s.running.as_ref()) {
                Some(running) => ParamValue::Integer(running.cache_size_pages() as u64),
                None => state.global.get_or(param, None),
            },
            _ => match (def.scope, slot) {
                (Scope::Instance, Some(slot)) => slot.params.get_or(param, Some(&state.global)),
                _ => state.global.get_or(param, None),
            },
        })
    }
}

/// The instance a parameter call is for: none before any instance exists
/// (the handle is ignored, as ESE does); the legacy instance in legacy
/// mode, whatever the handle; in multi-instance mode the handle's
/// (`JET_errInvalidInstance` for one that is not an instance), or none
/// (the process's values) without one.
fn target(state: &State, instance: Option<JetInstance>) -> Result<Option<JetInstance>> {
    match state.mode {
        RunMode::NotSet => Ok(None),
        RunMode::OneInstance => Ok(state.legacy),
        RunMode::MultiInstance => match instance.filter(|&h| h != JET_instanceNil && h != 0) {
            Some(handle) if state.instances.contains_key(&handle) => Ok(Some(handle)),
            Some(handle) => Err(Error::new(JET_errInvalidInstance)
                .with_detail(format!("{handle:#x} is not an instance"))),
            None => Ok(None),
        },
    }
}

/// The handle a call names: `None` (or nil) is the legacy instance.
fn resolve(state: &State, instance: Option<JetInstance>) -> Result<JetInstance> {
    match instance.filter(|&h| h != JET_instanceNil && h != 0) {
        Some(handle) => {
            if state.instances.contains_key(&handle) {
                Ok(handle)
            } else {
                Err(invalid_instance(handle))
            }
        }
        None => match state.mode {
            RunMode::OneInstance => state
                .legacy
                .ok_or_else(|| Error::new(JET_errNotInitialized)),
            RunMode::MultiInstance => Err(Error::new(JET_errInvalidParameter)
                .with_detail("multi-instance mode needs an instance handle")),
            RunMode::NotSet => Err(Error::new(JET_errNotInitialized)),
        },
    }
}

fn read_only(def: &ParamDef) -> Error {
    Error::new(JET_errInvalidParameter).with_detail(format!("{} cannot be set", def.name))
}

fn already_initialized(def: &ParamDef) -> Error {
    Error::new(JET_errAlreadyInitialized).with_detail(format!(
        "{} cannot change once the {} is initialised",
        def.name,
        match def.mutability {
            Mutability::UntilGlobalInit => "engine",
            _ => "instance",
        }
    ))
}

/// The options JET_paramCommitDefault may hold: JET_bitCommitLazyFlush,
/// JET_bitWaitLastLevel0Commit, JET_bitWaitAllLevel0Commit,
/// JET_bitForceNewLog and JET_bitCommitRedoCallback (0x20).
const COMMIT_DEFAULT_BITS: u64 = 0x3b;

/// Checks beyond the range: values with a meaning of their own.
fn check_value(def: &ParamDef, value: &ParamValue) -> Result<()> {
    let bad = |detail: String| {
        Err(Error::new(JET_errInvalidParameter).with_detail(format!("{}: {detail}", def.name)))
    };
    let size = value.integer();
    match def.id {
        JET_paramDatabasePageSize if ![4096, 8192, 16384, 32768].contains(&size) => {
            bad(format!("{size} (4096, 8192, 16384 or 32768)"))
        }
        JET_paramVerPageSize if !size.is_power_of_two() => {
            bad(format!("{size} is not a power of two"))
        }
        JET_paramCommitDefault if size & !COMMIT_DEFAULT_BITS != 0 => bad(format!(
            "{size:#x} holds bits that are not JetCommitTransaction options"
        )),
        JET_paramRecovery
            if !value.text().eq_ignore_ascii_case("on")
                && !value.text().eq_ignore_ascii_case("off") =>
        {
            bad(format!("{:?} (\"On\" or \"Off\")", value.text()))
        }
        _ => Ok(()),
    }
}

/// The options an instance starts with: its own values over the process's.
fn instance_options(own: &ParamSet, global: &ParamSet) -> Result<InstanceOptions> {
    // Global parameters are the process's; instance ones the instance's
    // (copied from the process's when it was created, then set on it).
    let get = |id| match param_def(id).map(|d| d.scope) {
        Ok(Scope::Global) => global.get_or(id, None),
        _ => own.get_or(id, Some(global)),
    };
    let path = |id| -> PathBuf {
        let text = get(id).text().to_string();
        PathBuf::from(if text.is_empty() {
            "./".to_string()
        } else {
            text
        })
    };
    let mut options = InstanceOptions::new(path(JET_paramSystemPath));
    options.page_size = get(JET_paramDatabasePageSize).integer() as usize;
    options.cache_max_pages = cache_pages(get(JET_paramCacheSizeMax).integer(), options.page_size);
    options.cache_min_pages = get(JET_paramCacheSizeMin).integer() as usize;
    options.max_version_pages = get(JET_paramMaxVerPages).integer() as usize;
    options.max_sessions = Some(get(JET_paramMaxSessions).integer() as usize);
    options.create_paths = get(JET_paramCreatePathIfNotExist).integer() != 0;
    options.commit_default = get(JET_paramCommitDefault).integer() as u32;
    options.online_defrag = get(JET_paramEnableOnlineDefrag).integer() as u32;
    options.db_extension_pages = get(JET_paramDbExtensionSize).integer() as u32;
    let log = &mut options.log;
    log.recovery = get(JET_paramRecovery).text().eq_ignore_ascii_case("on");
    log.log_path = Some(path(JET_paramLogFilePath));
    log.base_name = get(JET_paramBaseName).text().to_string();
    log.legacy_file_names = get(JET_paramLegacyFileNames).integer() & JET_bitESE98FileNames != 0;
    log.log_file_size_kib = get(JET_paramLogFileSize).integer() as u32;
    log.log_buffers = get(JET_paramLogBuffers).integer() as u32;
    log.circular_log = get(JET_paramCircularLog).integer() != 0;
    log.checkpoint_depth_max = get(JET_paramCheckpointDepthMax).integer();
    Ok(options)
}

/// The cache's page bound for JET_paramCacheSizeMax: ESE sizes its cache
/// within the memory the machine has, its default bound (2,000,000,000
/// pages) meaning "as memory allows"; here the bound is also kept to a
/// quarter of the physical memory.
pub(crate) fn cache_pages(pages: u64, page_size: usize) -> usize {
    let memory = crate::storage::io::physical_memory_bytes().unwrap_or(1 << 30);
    let quarter = (memory / 4 / page_size as u64).max(64);
    pages.min(quarter) as usize
}
