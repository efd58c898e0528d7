//! The best hits by relevance, ties newest first, found without scoring
//! every match.
//!
//! tantivy's own collector for an order of (score, date) scores and ranks
//! every matching document. This one hands the query a threshold as
//! tantivy's top-by-score collector does, so a term, a union of terms or an
//! intersection of terms skips whole blocks of postings that cannot enter
//! the page (block-max WAND). The threshold sits just below the lowest
//! kept score, so documents that tie with it still come through and the
//! date decides between them: the order is exactly (score, date), as if
//! every match had been ranked.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader};

use crate::index::field;

/// One ranked document.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ranked {
    pub score: Score,
    /// Unix milliseconds.
    pub published_at: i64,
    pub address: DocAddress,
}

impl Ranked {
    /// Higher score first, then newer, then the earlier document (so the
    /// order is total and a page never shuffles between two searches).
    fn rank(&self, other: &Ranked) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then(self.published_at.cmp(&other.published_at))
            .then(other.address.cmp(&self.address))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.rank(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Greater is better.
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank(other)
    }
}

/// The `limit` best documents by (score, `published_at`), best first.
pub(crate) struct ByScoreThenNewest {
    limit: usize,
    /// Documents must also match this (filters, weighed without scores).
    /// The ranked query leads and this one is only asked about the
    /// documents it offers, so the ranked query keeps its skipping.
    within: Option<Box<dyn Weight>>,
}

impl ByScoreThenNewest {
    pub fn new(limit: usize, within: Option<Box<dyn Weight>>) -> ByScoreThenNewest {
        ByScoreThenNewest { limit, within }
    }
}

impl Collector for ByScoreThenNewest {
    type Fruit = Vec<Ranked>;
    type Child = SegmentTop;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<SegmentTop> {
        Ok(SegmentTop {
            limit: self.limit,
            segment,
            published_at: reader.fast_fields().i64(field::PUBLISHED_AT)?,
            kept: BinaryHeap::with_capacity(self.limit + 1),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, segments: Vec<Vec<Ranked>>) -> tantivy::Result<Vec<Ranked>> {
        let mut all: Vec<Ranked> = segments.into_iter().flatten().collect();
        all.sort_unstable_by(|a, b| b.cmp(a));
        all.truncate(self.limit);
        Ok(all)
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Vec<Ranked>> {
        let mut top = self.for_segment(segment, reader)?;
        let mut within = self.within.as_ref().map(|w| w.scorer(reader, 1.0)).transpose()?;
        let alive = reader.alive_bitset();
        weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
            let wanted = alive.is_none_or(|a| a.is_alive(doc)) && within.as_mut().is_none_or(|w| holds(&mut **w, doc));
            if wanted {
                top.offer(doc, score);
            }
            top.threshold()
        })?;
        Ok(top.harvest())
    }
}

/// Whether `set` holds `doc`; documents are asked in ascending order, so
/// the set only moves forward.
fn holds(set: &mut dyn DocSet, doc: DocId) -> bool {
    if set.doc() < doc {
        set.seek(doc);
    }
    set.doc() == doc
}

/// The best documents of one segment so far, worst on top of the heap.
pub(crate) struct SegmentTop {
    limit: usize,
    segment: SegmentOrdinal,
    published_at: Column<i64>,
    kept: BinaryHeap<Reverse<Ranked>>,
}

impl SegmentTop {
    fn offer(&mut self, doc: DocId, score: Score) {
        if self.limit == 0 {
            return;
        }
        let full = self.kept.len() >= self.limit;
        if full && self.kept.peek().is_some_and(|Reverse(worst)| score < worst.score) {
            return;
        }
        let candidate = Ranked {
            score,
            published_at: self.published_at.first(doc).unwrap_or_default(),
            address: DocAddress::new(self.segment, doc),
        };
        if !full {
            self.kept.push(Reverse(candidate));
        } else if let Some(mut worst) = self.kept.peek_mut()
            && candidate > worst.0
        {
            *worst = Reverse(candidate);
        }
    }

    /// Scores at or below this cannot enter: just under the worst kept
    /// score once the page is full, so a tie still reaches [`offer`](Self::offer).
    fn threshold(&self) -> Score {
        match self.kept.peek() {
            Some(Reverse(worst)) if self.kept.len() >= self.limit => worst.score.next_down(),
            _ => Score::MIN,
        }
    }
}

impl SegmentCollector for SegmentTop {
    type Fruit = Vec<Ranked>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.offer(doc, score);
    }

    fn harvest(self) -> Vec<Ranked> {
        self.kept.into_iter().map(|Reverse(ranked)| ranked).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranked(score: Score, published_at: i64, doc: DocId) -> Ranked {
        Ranked { score, published_at, address: DocAddress::new(0, doc) }
    }

    #[test]
    fn higher_scores_then_newer_then_earlier_documents_rank_first() {
        let mut all = [ranked(1.0, 5, 0), ranked(2.0, 1, 1), ranked(1.0, 9, 2), ranked(1.0, 9, 3)];
        all.sort_unstable_by(|a, b| b.cmp(a));
        let docs: Vec<DocId> = all.iter().map(|r| r.address.doc_id).collect();
        assert_eq!(docs, [1, 2, 3, 0]);
    }
}
