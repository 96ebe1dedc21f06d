//! The workloads' data: random keys and values from a seeded generator, so
//! that every engine sees the same records in the same order.

/// SplitMix64: small, fast and good enough to make keys and shuffle them.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `bound` (bound > 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(bound)) >> 64) as u64
    }

    pub fn fill(&mut self, bytes: &mut [u8]) {
        for chunk in bytes.chunks_mut(8) {
            let word = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

/// Key and value sizes of redb's comparison.
pub const KEY_SIZE: usize = 24;
pub const VALUE_SIZE: usize = 150;

/// `count` distinct random keys with their values, in insertion order.
pub struct KeyValues {
    pub keys: Vec<[u8; KEY_SIZE]>,
    pub values: Vec<[u8; VALUE_SIZE]>,
}

impl KeyValues {
    pub fn generate(count: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let mut keys = Vec::with_capacity(count);
        let mut values = Vec::with_capacity(count);
        let mut seen = std::collections::HashSet::with_capacity(count);
        while keys.len() < count {
            let mut key = [0u8; KEY_SIZE];
            rng.fill(&mut key);
            if !seen.insert(key) {
                continue;
            }
            let mut value = [0u8; VALUE_SIZE];
            rng.fill(&mut value);
            keys.push(key);
            values.push(value);
        }
        KeyValues { keys, values }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The pairs from `start` to `end` as slices.
    pub fn pairs(&self, start: usize, end: usize) -> Vec<(&[u8], &[u8])> {
        (start..end)
            .map(|i| (&self.keys[i][..], &self.values[i][..]))
            .collect()
    }
}
