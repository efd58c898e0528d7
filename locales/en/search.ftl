# Full-text search: the page /cari, the box in the site header, and the
# messages of /api/v1/search.
search-title = Search
search-title-for = Search: { $q }
search-description = Search news, announcements, events, programmes and village products from the government, KIMs and citizens.
search-intro = Search news, announcements, events, programmes and village products from the government, KIMs and citizens. Word forms need not match: "pembangunan jalan" also finds "membangun jalan".
search-label = Words to search for
search-placeholder = Search news…
search-submit = Search
search-filters = Filter results
search-filter-kind = Type
search-filter-any-kind = All types
search-filter-topic = Topic
search-filter-any-topic = All topics
search-filter-region = Region
search-filter-region-hint = A region code, e.g. 35.23 for Kabupaten Tuban; includes every region inside it.
search-filter-from = Published from
search-filter-to = Published until
search-filter-apply = Apply
search-org-filter = Only from { $name }
search-org-remove = remove this filter
search-count = { $count ->
    [one] { $count } result
   *[other] { $count } results
}
search-count-for = { $results } for "{ $q }"
search-empty = Nothing matches. Try other words, or fewer filters.
api-op-searchContent = Full-text search over published items, best match first; word forms need not match, with the same filters as the item list.
