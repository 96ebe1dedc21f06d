//! The engine's one way to take a `std::sync::Mutex`: a holder that
//! panicked leaves the lock poisoned, but what it guarded is checked by the
//! engine's own invariants (a transaction rolled back, a cache frame
//! verified), so the guard is taken regardless.

use std::sync::{Mutex, MutexGuard};

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
