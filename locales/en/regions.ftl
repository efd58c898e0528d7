# Region pages and the region API.
region-level-province = Province
region-level-regency = Regency/City
region-level-district = District
region-level-village = Village
region-children-regencies = { $count ->
    [one] { $count } regency or city
   *[other] { $count } regencies and cities
}
region-children-districts = { $count ->
    [one] { $count } district
   *[other] { $count } districts
}
region-children-villages = { $count ->
    [one] { $count } village
   *[other] { $count } villages
}
region-children-none = No regions below
region-code = Ministry of Home Affairs region code: { $code }
region-description = { $level } { $name }: information, KIMs and news of the region.
