-- The computations of the itineraries figures as the itineraries service computes them since its
-- migration 101: an itinerary begins at its activation or its first stage's actual start,
-- whichever came first; the wait for a first service runs from the referral, else from the
-- earliest assessment the itinerary is based on.
UPDATE compute_sources SET computation =
    'Median days from the referral (its authored date) or, without one, the earliest assessment the itinerary is based on, to the first stage started, for itineraries whose first service began in the period.'
 WHERE key = 'itineraries.median_days_to_first_service';
UPDATE compute_sources SET computation =
    '100 × persons not in residential care / persons whose first itinerary began (activation or first stage started, whichever came first) twelve months before a day of the period.'
 WHERE key = 'itineraries.living_at_home_12_months_share';
UPDATE compute_sources SET computation =
    'Distinct persons with an itinerary running at some time in the period (begun by its end, not ended before its start).'
 WHERE key = 'itineraries.persons_with_itinerary';
