//! System parameters (ESE: JetSetSystemParameter / JetGetSystemParameter,
//! the sysparam table): each parameter's number, type, scope, default,
//! valid range and when it may change, as Microsoft's parameter pages
//! document them (Windows Vista and later where versions differ), and a
//! set of values checked against them.
//!
//! Scope: a global parameter belongs to the process (the cache, the page
//! size, the number of instances); an instance parameter belongs to one
//! instance, and its value set without an instance is the default new
//! instances start from. Mutability: a parameter "fixed at global init"
//! cannot change once an instance exists; one "fixed at instance init"
//! cannot change on an instance after its JetInit (both
//! `JET_errAlreadyInitialized`); a dynamic one changes at any time, and
//! on a running instance takes effect at once.
//!
//! [`ParamDef::applied`] says whether this engine acts on the parameter.
//! The others are accepted, checked and reported back, so that programs
//! written for ESE that set them still run, but change nothing here (their
//! subjects, such as the event log or temporary databases, do not exist
//! in this engine); `docs/PARAMETERS.md` lists both kinds.

use std::collections::BTreeMap;

use crate::codes::*;
use crate::{Error, Result};

macro_rules! param_ids {
    ($($name:ident = $value:expr),* $(,)?) => {
        $(pub const $name: u32 = $value;)*
    };
}

param_ids! {
    JET_paramSystemPath = 0,
    JET_paramTempPath = 1,
    JET_paramLogFilePath = 2,
    JET_paramBaseName = 3,
    JET_paramEventSource = 4,
    JET_paramMaxSessions = 5,
    JET_paramMaxOpenTables = 6,
    JET_paramPreferredMaxOpenTables = 7,
    JET_paramMaxCursors = 8,
    JET_paramMaxVerPages = 9,
    JET_paramMaxTemporaryTables = 10,
    JET_paramLogFileSize = 11,
    JET_paramLogBuffers = 12,
    JET_paramLogCheckpointPeriod = 14,
    JET_paramLogWaitingUserMax = 15,
    JET_paramCommitDefault = 16,
    JET_paramCircularLog = 17,
    JET_paramDbExtensionSize = 18,
    JET_paramPageTempDBMin = 19,
    JET_paramPageFragment = 20,
    JET_paramBatchIOBufferMax = 22,
    JET_paramCacheSizeMax = 23,
    JET_paramCheckpointDepthMax = 24,
    JET_paramLRUKCorrInterval = 25,
    JET_paramLRUKHistoryMax = 26,
    JET_paramLRUKPolicy = 27,
    JET_paramLRUKTimeout = 28,
    JET_paramOutstandingIOMax = 30,
    JET_paramStartFlushThreshold = 31,
    JET_paramStopFlushThreshold = 32,
    JET_paramRecovery = 34,
    JET_paramEnableOnlineDefrag = 35,
    JET_paramCacheSize = 41,
    JET_paramCheckFormatWhenOpenFail = 44,
    JET_paramEnableIndexChecking = 45,
    JET_paramEnableTempTableVersioning = 46,
    JET_paramIgnoreLogVersion = 47,
    JET_paramDeleteOldLogs = 48,
    JET_paramEventSourceKey = 49,
    JET_paramNoInformationEvent = 50,
    JET_paramDeleteOutOfRangeLogs = 52,
    JET_paramAccessDeniedRetryPeriod = 53,
    JET_paramEnableIndexCleanup = 54,
    JET_paramCacheSizeMin = 60,
    JET_paramPreferredVerPages = 63,
    JET_paramDatabasePageSize = 64,
    JET_paramDisableCallbacks = 65,
    JET_paramLogFileCreateAsynch = 69,
    JET_paramErrorToString = 70,
    JET_paramZeroDatabaseDuringBackup = 71,
    JET_paramCleanupMismatchedLogFiles = 77,
    JET_paramRecordUpgradeDirtyLevel = 78,
    JET_paramGlobalMinVerPages = 81,
    JET_paramOSSnapshotTimeout = 82,
    JET_paramExceptionAction = 98,
    JET_paramCreatePathIfNotExist = 100,
    JET_paramPageHintCacheSize = 101,
    JET_paramOneDatabasePerSession = 102,
    JET_paramMaxInstances = 104,
    JET_paramVersionStoreTaskQueueMax = 105,
    JET_paramDisablePerfmon = 107,
    JET_paramIndexTuplesLengthMin = 110,
    JET_paramIndexTuplesLengthMax = 111,
    JET_paramIndexTuplesToIndexMax = 112,
    JET_paramAlternateDatabaseRecoveryPath = 113,
    JET_paramCachedClosedTables = 125,
    JET_paramEnableFileCache = 126,
    JET_paramEnableViewCache = 127,
    JET_paramVerPageSize = 128,
    JET_paramConfiguration = 129,
    JET_paramEnableAdvanced = 130,
    JET_paramMaxColtyp = 131,
    JET_paramIndexTupleIncrement = 132,
    JET_paramIndexTupleStart = 133,
    JET_paramKeyMost = 134,
    JET_paramCheckpointIOMax = 135,
    JET_paramLegacyFileNames = 136,
    JET_paramIOPriority = 152,
    JET_paramWaypointLatency = 153,
    JET_paramEnablePersistedCallbacks = 156,
    JET_paramDefragmentSequentialBTrees = 160,
    JET_paramDefragmentSequentialBTreesDensityCheckFrequency = 161,
    JET_paramIOThrottlingTimeQuanta = 162,
    JET_paramLVChunkSizeMost = 163,
    JET_paramMaxCoalesceReadSize = 164,
    JET_paramMaxCoalesceWriteSize = 165,
    JET_paramMaxCoalesceReadGapSize = 166,
    JET_paramMaxCoalesceWriteGapSize = 167,
}

/// JET_paramLegacyFileNames' bits.
pub const JET_bitESE98FileNames: u64 = 0x1;
pub const JET_bitEightDotThreeSoftCompat: u64 = 0x2;
/// JET_paramEnableOnlineDefrag's values.
pub const JET_OnlineDefragDisable: u64 = 0x0;
pub const JET_OnlineDefragAllOBSOLETE: u64 = 0x1;
pub const JET_OnlineDefragDatabases: u64 = 0x2;
pub const JET_OnlineDefragSpaceTrees: u64 = 0x4;
pub const JET_OnlineDefragAll: u64 = 0xffff;
/// JET_paramExceptionAction's values.
pub const JET_ExceptionMsgBox: u64 = 0x1;
pub const JET_ExceptionNone: u64 = 0x2;
pub const JET_ExceptionFailFast: u64 = 0x4;

/// Whose the parameter is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The process's: one value for every instance.
    Global,
    /// Each instance's; the value set without an instance is the default
    /// of instances created afterwards.
    Instance,
}

/// When the parameter may change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mutability {
    /// At any time; on a running instance it takes effect at once.
    Dynamic,
    /// Until the instance's JetInit ("Set after JetInit: No").
    UntilInstanceInit,
    /// Until the first instance is created ("Set after JetCreateInstance:
    /// No").
    UntilGlobalInit,
    /// Never: the engine reports it (informational parameters).
    ReadOnly,
}

/// The kind of value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A number in [`ParamDef::min`]..=[`ParamDef::max`].
    Integer,
    /// 0 or 1 (any non-zero value is stored as 1).
    Boolean,
    /// A string of at most [`ParamDef::max`] characters (at least
    /// [`ParamDef::min`]).
    String,
}

/// One parameter's definition.
#[derive(Clone, Copy, Debug)]
pub struct ParamDef {
    pub id: u32,
    pub name: &'static str,
    pub kind: Kind,
    pub scope: Scope,
    pub mutability: Mutability,
    /// The default: a number, or (for strings) `default_text`.
    pub default: u64,
    pub default_text: &'static str,
    pub min: u64,
    pub max: u64,
    /// Whether this engine acts on the value (see the module notes).
    pub applied: bool,
}

const I32_MAX: u64 = i32::MAX as u64;
const U32_MAX: u64 = u32::MAX as u64;

/// An integer parameter; `values` is its default, minimum and maximum.
const fn int(
    id: u32,
    name: &'static str,
    scope: Scope,
    mutability: Mutability,
    values: [u64; 3],
    applied: bool,
) -> ParamDef {
    let [default, min, max] = values;
    ParamDef {
        id,
        name,
        kind: Kind::Integer,
        scope,
        mutability,
        default,
        default_text: "",
        min,
        max,
        applied,
    }
}

const fn boolean(
    id: u32,
    name: &'static str,
    scope: Scope,
    mutability: Mutability,
    default: bool,
    applied: bool,
) -> ParamDef {
    ParamDef {
        id,
        name,
        kind: Kind::Boolean,
        scope,
        mutability,
        default: default as u64,
        default_text: "",
        min: 0,
        max: 1,
        applied,
    }
}

const fn text(
    id: u32,
    name: &'static str,
    mutability: Mutability,
    default: &'static str,
    min: u64,
    max: u64,
    applied: bool,
) -> ParamDef {
    ParamDef {
        id,
        name,
        kind: Kind::String,
        scope: Scope::Instance,
        mutability,
        default: 0,
        default_text: default,
        min,
        max,
        applied,
    }
}

use Mutability::{Dynamic, ReadOnly, UntilGlobalInit, UntilInstanceInit};
use Scope::{Global, Instance};

/// Every parameter, by number. Defaults, ranges, scopes and mutability
/// are those of Microsoft's parameter pages (the Windows Vista and later
/// values where they differ). Some defaults are this engine's own: the
/// system and log paths (`./`, ESE's `.\`), and the read-only
/// parameters, which report this engine's limits.
#[rustfmt::skip]
pub static PARAMS: &[ParamDef] = &[
    text(JET_paramSystemPath, "JET_paramSystemPath", UntilInstanceInit, "./", 0, 246, true),
    text(JET_paramTempPath, "JET_paramTempPath", UntilInstanceInit, "tmp.edb", 0, 247, false),
    text(JET_paramLogFilePath, "JET_paramLogFilePath", UntilInstanceInit, "./", 0, 246, true),
    text(JET_paramBaseName, "JET_paramBaseName", UntilInstanceInit, "edb", 3, 3, true),
    text(JET_paramEventSource, "JET_paramEventSource", UntilInstanceInit, "", 0, 259, false),
    int(JET_paramMaxSessions, "JET_paramMaxSessions", Instance, UntilInstanceInit, [16, 0, 30_000], true),
    int(JET_paramMaxOpenTables, "JET_paramMaxOpenTables", Instance, UntilInstanceInit, [300, 0, I32_MAX], false),
    int(JET_paramPreferredMaxOpenTables, "JET_paramPreferredMaxOpenTables", Instance, UntilInstanceInit, [0, 0, I32_MAX], false),
    int(JET_paramMaxCursors, "JET_paramMaxCursors", Instance, UntilInstanceInit, [1024, 0, I32_MAX], false),
    int(JET_paramMaxVerPages, "JET_paramMaxVerPages", Instance, UntilInstanceInit, [64, 1, I32_MAX], true),
    int(JET_paramMaxTemporaryTables, "JET_paramMaxTemporaryTables", Instance, UntilInstanceInit, [20, 0, I32_MAX], false),
    int(JET_paramLogFileSize, "JET_paramLogFileSize", Instance, UntilInstanceInit, [5120, 64, 32_768], true),
    int(JET_paramLogBuffers, "JET_paramLogBuffers", Instance, UntilInstanceInit, [126, 1, I32_MAX], true),
    int(JET_paramLogCheckpointPeriod, "JET_paramLogCheckpointPeriod", Instance, UntilInstanceInit, [1024, 0, I32_MAX], false),
    int(JET_paramLogWaitingUserMax, "JET_paramLogWaitingUserMax", Instance, UntilInstanceInit, [3, 0, I32_MAX], false),
    int(JET_paramCommitDefault, "JET_paramCommitDefault", Instance, Dynamic, [0, 0, 0x3b], true),
    boolean(JET_paramCircularLog, "JET_paramCircularLog", Instance, UntilInstanceInit, false, true),
    int(JET_paramDbExtensionSize, "JET_paramDbExtensionSize", Instance, Dynamic, [256, 1, I32_MAX], true),
    int(JET_paramPageTempDBMin, "JET_paramPageTempDBMin", Instance, UntilInstanceInit, [0, 0, I32_MAX], false),
    int(JET_paramPageFragment, "JET_paramPageFragment", Instance, UntilInstanceInit, [8, 0, I32_MAX], false),
    int(JET_paramBatchIOBufferMax, "JET_paramBatchIOBufferMax", Global, UntilGlobalInit, [256, 0, I32_MAX], false),
    int(JET_paramCacheSizeMax, "JET_paramCacheSizeMax", Global, Dynamic, [2_000_000_000, 1, U32_MAX], true),
    int(JET_paramCheckpointDepthMax, "JET_paramCheckpointDepthMax", Instance, Dynamic, [20 << 20, 0, U32_MAX], true),
    int(JET_paramLRUKCorrInterval, "JET_paramLRUKCorrInterval", Global, UntilGlobalInit, [128_000, 0, U32_MAX], false),
    int(JET_paramLRUKHistoryMax, "JET_paramLRUKHistoryMax", Global, UntilGlobalInit, [100_000, 0, U32_MAX], false),
    int(JET_paramLRUKPolicy, "JET_paramLRUKPolicy", Global, UntilGlobalInit, [2, 1, 2], false),
    int(JET_paramLRUKTimeout, "JET_paramLRUKTimeout", Global, UntilGlobalInit, [100, 1, U32_MAX], false),
    int(JET_paramOutstandingIOMax, "JET_paramOutstandingIOMax", Global, UntilGlobalInit, [1024, 0, 65_536], false),
    int(JET_paramStartFlushThreshold, "JET_paramStartFlushThreshold", Global, Dynamic, [20_000_000, 0, U32_MAX], false),
    int(JET_paramStopFlushThreshold, "JET_paramStopFlushThreshold", Global, Dynamic, [40_000_000, 0, U32_MAX], false),
    text(JET_paramRecovery, "JET_paramRecovery", UntilInstanceInit, "On", 0, 259, true),
    int(JET_paramEnableOnlineDefrag, "JET_paramEnableOnlineDefrag", Instance, Dynamic, [JET_OnlineDefragAll, 0, 0xffff], true),
    int(JET_paramCacheSize, "JET_paramCacheSize", Global, Dynamic, [0, 1, U32_MAX], true),
    boolean(JET_paramCheckFormatWhenOpenFail, "JET_paramCheckFormatWhenOpenFail", Instance, UntilInstanceInit, true, false),
    boolean(JET_paramEnableIndexChecking, "JET_paramEnableIndexChecking", Instance, UntilInstanceInit, false, false),
    boolean(JET_paramEnableTempTableVersioning, "JET_paramEnableTempTableVersioning", Instance, UntilInstanceInit, true, false),
    boolean(JET_paramIgnoreLogVersion, "JET_paramIgnoreLogVersion", Instance, UntilInstanceInit, false, false),
    boolean(JET_paramDeleteOldLogs, "JET_paramDeleteOldLogs", Instance, UntilInstanceInit, true, false),
    text(JET_paramEventSourceKey, "JET_paramEventSourceKey", UntilInstanceInit, "", 0, 259, false),
    boolean(JET_paramNoInformationEvent, "JET_paramNoInformationEvent", Instance, UntilInstanceInit, false, false),
    boolean(JET_paramDeleteOutOfRangeLogs, "JET_paramDeleteOutOfRangeLogs", Instance, UntilInstanceInit, false, false),
    int(JET_paramAccessDeniedRetryPeriod, "JET_paramAccessDeniedRetryPeriod", Global, Dynamic, [10_000, 0, U32_MAX], false),
    boolean(JET_paramEnableIndexCleanup, "JET_paramEnableIndexCleanup", Instance, Dynamic, true, false),
    int(JET_paramCacheSizeMin, "JET_paramCacheSizeMin", Global, Dynamic, [1, 1, U32_MAX], true),
    int(JET_paramPreferredVerPages, "JET_paramPreferredVerPages", Instance, Dynamic, [58, 1, I32_MAX], false),
    int(JET_paramDatabasePageSize, "JET_paramDatabasePageSize", Global, UntilGlobalInit, [4096, 4096, 32_768], true),
    boolean(JET_paramDisableCallbacks, "JET_paramDisableCallbacks", Instance, UntilInstanceInit, false, false),
    boolean(JET_paramLogFileCreateAsynch, "JET_paramLogFileCreateAsynch", Instance, UntilInstanceInit, true, false),
    int(JET_paramErrorToString, "JET_paramErrorToString", Global, ReadOnly, [0, 0, 0], true),
    boolean(JET_paramZeroDatabaseDuringBackup, "JET_paramZeroDatabaseDuringBackup", Instance, UntilInstanceInit, false, false),
    boolean(JET_paramCleanupMismatchedLogFiles, "JET_paramCleanupMismatchedLogFiles", Instance, UntilInstanceInit, false, false),
    int(JET_paramRecordUpgradeDirtyLevel, "JET_paramRecordUpgradeDirtyLevel", Global, Dynamic, [1, 0, 3], false),
    int(JET_paramGlobalMinVerPages, "JET_paramGlobalMinVerPages", Global, UntilGlobalInit, [64, 1, I32_MAX], false),
    int(JET_paramOSSnapshotTimeout, "JET_paramOSSnapshotTimeout", Global, Dynamic, [20_000, 0, I32_MAX], false),
    int(JET_paramExceptionAction, "JET_paramExceptionAction", Global, Dynamic, [JET_ExceptionMsgBox, JET_ExceptionMsgBox, JET_ExceptionFailFast], false),
    boolean(JET_paramCreatePathIfNotExist, "JET_paramCreatePathIfNotExist", Instance, UntilInstanceInit, false, true),
    int(JET_paramPageHintCacheSize, "JET_paramPageHintCacheSize", Global, Dynamic, [262_144, 0, I32_MAX], false),
    boolean(JET_paramOneDatabasePerSession, "JET_paramOneDatabasePerSession", Global, UntilInstanceInit, false, false),
    int(JET_paramMaxInstances, "JET_paramMaxInstances", Global, UntilGlobalInit, [16, 1, 1024], true),
    int(JET_paramVersionStoreTaskQueueMax, "JET_paramVersionStoreTaskQueueMax", Instance, Dynamic, [32, 1, 127], false),
    boolean(JET_paramDisablePerfmon, "JET_paramDisablePerfmon", Global, UntilGlobalInit, false, false),
    int(JET_paramIndexTuplesLengthMin, "JET_paramIndexTuplesLengthMin", Instance, UntilInstanceInit, [3, 2, 255], false),
    int(JET_paramIndexTuplesLengthMax, "JET_paramIndexTuplesLengthMax", Instance, UntilInstanceInit, [10, 2, 255], false),
    int(JET_paramIndexTuplesToIndexMax, "JET_paramIndexTuplesToIndexMax", Instance, UntilInstanceInit, [32_767, 1, 32_767], false),
    text(JET_paramAlternateDatabaseRecoveryPath, "JET_paramAlternateDatabaseRecoveryPath", UntilInstanceInit, "", 0, 246, false),
    int(JET_paramCachedClosedTables, "JET_paramCachedClosedTables", Instance, UntilInstanceInit, [64, 1, I32_MAX], false),
    boolean(JET_paramEnableFileCache, "JET_paramEnableFileCache", Global, UntilGlobalInit, false, false),
    boolean(JET_paramEnableViewCache, "JET_paramEnableViewCache", Global, UntilGlobalInit, false, false),
    int(JET_paramVerPageSize, "JET_paramVerPageSize", Global, UntilGlobalInit, [16_384, 1024, 65_536], false),
    int(JET_paramConfiguration, "JET_paramConfiguration", Instance, UntilInstanceInit, [1, 0, 1], false),
    boolean(JET_paramEnableAdvanced, "JET_paramEnableAdvanced", Instance, Dynamic, true, false),
    int(JET_paramMaxColtyp, "JET_paramMaxColtyp", Global, ReadOnly, [18, 18, 18], true),
    int(JET_paramIndexTupleIncrement, "JET_paramIndexTupleIncrement", Instance, UntilInstanceInit, [1, 0, 32_767], false),
    int(JET_paramIndexTupleStart, "JET_paramIndexTupleStart", Instance, UntilInstanceInit, [0, 0, 32_767], false),
    int(JET_paramKeyMost, "JET_paramKeyMost", Global, ReadOnly, [0, 255, 65_535], true),
    int(JET_paramCheckpointIOMax, "JET_paramCheckpointIOMax", Global, Dynamic, [96, 8, 1024], false),
    int(JET_paramLegacyFileNames, "JET_paramLegacyFileNames", Instance, UntilInstanceInit, [JET_bitESE98FileNames, 0, JET_bitESE98FileNames | JET_bitEightDotThreeSoftCompat], true),
    int(JET_paramIOPriority, "JET_paramIOPriority", Instance, Dynamic, [0, 0, 1], false),
    int(JET_paramWaypointLatency, "JET_paramWaypointLatency", Instance, UntilInstanceInit, [0, 0, 1023], false),
    boolean(JET_paramEnablePersistedCallbacks, "JET_paramEnablePersistedCallbacks", Instance, UntilInstanceInit, false, false),
    boolean(JET_paramDefragmentSequentialBTrees, "JET_paramDefragmentSequentialBTrees", Instance, UntilInstanceInit, true, false),
    int(JET_paramDefragmentSequentialBTreesDensityCheckFrequency, "JET_paramDefragmentSequentialBTreesDensityCheckFrequency", Instance, UntilInstanceInit, [10, 0, I32_MAX], false),
    int(JET_paramIOThrottlingTimeQuanta, "JET_paramIOThrottlingTimeQuanta", Global, UntilInstanceInit, [125, 0, 10_000], false),
    int(JET_paramLVChunkSizeMost, "JET_paramLVChunkSizeMost", Global, ReadOnly, [0, 0, 10_000], true),
    int(JET_paramMaxCoalesceReadSize, "JET_paramMaxCoalesceReadSize", Global, UntilInstanceInit, [262_144, 0, 1 << 30], false),
    int(JET_paramMaxCoalesceWriteSize, "JET_paramMaxCoalesceWriteSize", Global, UntilInstanceInit, [393_216, 0, 1 << 30], false),
    int(JET_paramMaxCoalesceReadGapSize, "JET_paramMaxCoalesceReadGapSize", Global, UntilInstanceInit, [262_144, 0, 1 << 30], false),
    int(JET_paramMaxCoalesceWriteGapSize, "JET_paramMaxCoalesceWriteGapSize", Global, UntilInstanceInit, [393_216, 0, 1 << 30], false),
];

/// The definition of parameter `id`; `JET_errInvalidParameter` for a
/// number ESE does not define (or this engine does not know).
pub fn param_def(id: u32) -> Result<&'static ParamDef> {
    PARAMS.iter().find(|p| p.id == id).ok_or_else(|| {
        Error::new(JET_errInvalidParameter).with_detail(format!("no system parameter {id}"))
    })
}

/// A parameter's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamValue {
    Integer(u64),
    String(String),
}

impl ParamValue {
    /// The number (0 for a string).
    pub fn integer(&self) -> u64 {
        match self {
            ParamValue::Integer(n) => *n,
            ParamValue::String(_) => 0,
        }
    }

    /// The text ("" for a number).
    pub fn text(&self) -> &str {
        match self {
            ParamValue::Integer(_) => "",
            ParamValue::String(s) => s,
        }
    }
}

impl ParamDef {
    /// The default value.
    pub fn default_value(&self) -> ParamValue {
        match self.kind {
            Kind::String => ParamValue::String(self.default_text.to_string()),
            Kind::Integer | Kind::Boolean => ParamValue::Integer(self.default),
        }
    }

    /// Checks a value given to JetSetSystemParameter (a number for
    /// numbers and booleans, a string for strings) and returns it as
    /// stored. `JET_errInvalidParameter` when out of range.
    pub fn check(&self, number: u64, string: Option<&str>) -> Result<ParamValue> {
        let out_of_range = |detail: String| {
            Err(Error::new(JET_errInvalidParameter).with_detail(format!("{}: {detail}", self.name)))
        };
        match self.kind {
            Kind::Boolean => Ok(ParamValue::Integer(u64::from(number != 0))),
            Kind::Integer => {
                if number < self.min || number > self.max {
                    return out_of_range(format!(
                        "{number} is outside {}..={}",
                        self.min, self.max
                    ));
                }
                Ok(ParamValue::Integer(number))
            }
            Kind::String => {
                let Some(text) = string else {
                    return out_of_range("a string is required".into());
                };
                let length = text.chars().count() as u64;
                if length < self.min || length > self.max {
                    return out_of_range(format!(
                        "{length} characters (from {} to {})",
                        self.min, self.max
                    ));
                }
                Ok(ParamValue::String(text.to_string()))
            }
        }
    }
}

/// Values set on top of the defaults (of the process, or of an instance).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParamSet {
    values: BTreeMap<u32, ParamValue>,
}

impl ParamSet {
    /// The value of `id`: set here, else `fallback`'s, else the default.
    pub fn get_or(&self, id: u32, fallback: Option<&ParamSet>) -> ParamValue {
        if let Some(value) = self.values.get(&id) {
            return value.clone();
        }
        if let Some(value) = fallback.and_then(|f| f.values.get(&id)) {
            return value.clone();
        }
        param_def(id)
            .map(ParamDef::default_value)
            .unwrap_or(ParamValue::Integer(0))
    }

    /// Stores a checked value.
    pub fn set(&mut self, id: u32, value: ParamValue) {
        self.values.insert(id, value);
    }

    /// Whether `id` was set here.
    pub fn contains(&self, id: u32) -> bool {
        self.values.contains_key(&id)
    }
}
