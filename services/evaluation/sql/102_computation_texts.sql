-- The computations of the practices and services figures as their services count them now: from
-- when they are known to exist (registration, or a first use recorded with its own date).
UPDATE compute_sources SET computation =
    'Practices with objectives, activities, results and evaluation approach written (the ESN template), known by the period''s end (registered, presented at an event or adopted).'
 WHERE key = 'transfer.practices_systematised';
UPDATE compute_sources SET computation =
    'Active services of the catalogue covering the scope that entered it in the period (registered, or first used by a stage, whichever came first).'
 WHERE key = 'itineraries.new_services';
