package org.mmada4j.train;

/**
 * Linear warm-up, then cosine decay to {@code minLrScale·peak} (the reference's "cosine" scheduler with
 * {@code min_lr_scale}; spec §6.2): factor = step/warmup during warm-up, then
 * {@code minLrScale + (1 − minLrScale)·½(1 + cos(π·progress))}, progress = (step − warmup)/(total − warmup).
 * Steps count optimizer updates from 0 (so with warm-up the very first update runs at lr 0, as the reference).
 */
public record LearningRateSchedule(double peak, long warmupSteps, long totalSteps, double minLrScale) {
    public LearningRateSchedule {
        if (peak < 0 || warmupSteps < 0 || totalSteps < 1 || minLrScale < 0 || minLrScale > 1) {
            throw new IllegalArgumentException("bad learning-rate schedule: peak " + peak + ", warmup " + warmupSteps
                    + ", total " + totalSteps + ", min_lr_scale " + minLrScale);
        }
    }

    public static LearningRateSchedule constant(double lr) {
        return new LearningRateSchedule(lr, 0, 1, 1.0);
    }

    public double at(long step) {
        if (step < warmupSteps) {
            return peak * (double) step / Math.max(1, warmupSteps);
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        progress = Math.min(1.0, progress);
        return peak * (minLrScale + (1 - minLrScale) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
}
