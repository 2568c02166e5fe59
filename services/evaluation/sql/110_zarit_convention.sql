-- The caregiver-burden indicator is on a Zarit scale, and its bands must be the published ones
-- of the convention its values come from. CARE-QOL-02 holds means of Zarit totals scored 0-4
-- (0-88), but 002 gave it the cut-offs of the 1-5 convention (46 and 55, from the 22-110
-- Spanish validation): a mean of 50 on 0-88 (moderate to severe burden) showed as "watch".
--
-- scale_convention names the convention of a Zarit indicator. It fixes the range and the
-- thresholds: good up to the last total of the lowest band, alert beyond the last total of the
-- mild band (0-88: 20 and 40, Zarit's ranges; 22-110: 46 and 55, Martin et al. 1996). The
-- scorecard bands such an indicator from the published bands themselves (common/zarit.c), so a
-- mean between two integer totals falls where the published ranges put it.
ALTER TABLE indicators ADD COLUMN scale_convention text
    CHECK (scale_convention IN ('zarit_0_88', 'zarit_22_110'));

UPDATE indicators i
   SET scale_convention = 'zarit_0_88', threshold_low = 40, threshold_high = 20
  FROM frameworks f
 WHERE f.id = i.framework_id AND f.code = 'HUB' AND i.code = 'CARE-QOL-02';

ALTER TABLE indicators ADD CONSTRAINT indicators_zarit_convention CHECK (
    scale_convention IS NULL
    OR (scale_convention = 'zarit_0_88' AND direction = 'lower_is_better'
        AND min_value = 0 AND max_value = 88 AND threshold_low = 40 AND threshold_high = 20)
    OR (scale_convention = 'zarit_22_110' AND direction = 'lower_is_better'
        AND min_value = 22 AND max_value = 110 AND threshold_low = 55 AND threshold_high = 46));
