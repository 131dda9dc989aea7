//! Paging of rows already in memory: how many pages, and which rows a page shows.

use std::ops::Range;

/// How many pages of `limit` rows `len` rows make (0 when there are none).
pub fn page_count(len: usize, limit: u32) -> u32 {
    let limit = limit.max(1) as usize;
    u32::try_from(len.div_ceil(limit)).unwrap_or(u32::MAX)
}

/// The positions of page `page` (1-based, clamped to the last page) of `limit` rows out of `len`.
pub fn page_range(len: usize, page: u32, limit: u32) -> Range<usize> {
    let limit = limit.max(1) as usize;
    let last = page_count(len, limit as u32).max(1);
    let start = (page.clamp(1, last) as usize - 1).saturating_mul(limit);
    start.min(len)..start.saturating_add(limit).min(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_paging() {
        assert_eq!(page_count(0, 20), 0);
        assert_eq!(page_count(41, 20), 3);
        assert_eq!(page_range(41, 3, 20), 40..41);
        assert_eq!(page_range(41, 9, 20), 40..41, "clamped to the last page");
        assert_eq!(page_range(0, 1, 20), 0..0);
        assert_eq!(page_range(5, 0, 0), 0..1);
    }
}
