package org.mmada4j.train;

import java.io.IOException;
import java.nio.file.Path;

/** A training stage's loop as the command line drives it: the LM/joint stages ({@link Trainer}) or UniGRPO ({@link GrpoTrainer}). */
public interface TrainingLoop {
    TrainingState state();

    /** Runs until {@code untilStep} optimizer steps are done (bounded by the config's steps). */
    TrainingState run(long untilStep, Trainer.Listener listener) throws IOException;

    /** Writes a checkpoint of the current state now. */
    void checkpoint() throws IOException;

    /** Exports the weights as an inference model directory (null when export_dtype = none). */
    Path exportInference() throws IOException;
}
