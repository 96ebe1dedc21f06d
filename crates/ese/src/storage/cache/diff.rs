//! What a unit changed in a page, as byte ranges (for the log).

/// The ranges where `after` differs from `before` (same length), gaps of
/// fewer than 16 equal bytes joined so that a scattered change is not a
/// long list of tiny ranges.
pub fn diff_ranges(before: &[u8], after: &[u8]) -> Vec<(u32, Vec<u8>)> {
    const JOIN: usize = 16;
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let n = before.len().min(after.len());
    let mut i = 0;
    while i < n {
        // Skip equal 8-byte words fast.
        if i + 8 <= n && before[i..i + 8] == after[i..i + 8] {
            i += 8;
            continue;
        }
        if before[i] == after[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && before[i] != after[i] {
            i += 1;
        }
        match ranges.last_mut() {
            Some(last) if start - last.1 < JOIN => last.1 = i,
            _ => ranges.push((start, i)),
        }
    }
    ranges
        .into_iter()
        .map(|(s, e)| (s as u32, after[s..e].to_vec()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_ranges_rebuild_the_after_image() {
        let before: Vec<u8> = (0..4096u32).map(|i| (i * 7) as u8).collect();
        let mut after = before.clone();
        after[10] ^= 1;
        after[20] ^= 1; // joined with the one above (gap < 16)
        after[1000..1100].fill(0);
        after[4095] ^= 0xff;
        let ranges = diff_ranges(&before, &after);
        assert_eq!(ranges.len(), 3);
        let mut rebuilt = before.clone();
        for (offset, bytes) in &ranges {
            rebuilt[*offset as usize..*offset as usize + bytes.len()].copy_from_slice(bytes);
        }
        assert_eq!(rebuilt, after);
        assert!(diff_ranges(&before, &before).is_empty());
    }
}
