package org.mmada4j.vq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Pre-processing against Pillow: {@code resources/vq/pil/cases.json} (made by {@code generate.py} there)
 * holds PIL's bicubic resizes (down, up, one axis only, to 1×1) and shorter-side resize + centre crops
 * of three synthetic images. The port reproduces PIL's 8-bit fixed-point resampler, so the expected
 * maximum difference is 0 grey levels.
 */
class BicubicResamplerTest {
    /** Max |difference| in grey levels against PIL, recorded: 0 on every case with Pillow 12.3.0. */
    static final int MAX_DIFF = 0;

    @Test
    void matchesPillow() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/vq/pil/cases.json").toURI()).getParent();
        JsonNode root = new ObjectMapper().readTree(dir.resolve("cases.json").toFile());
        int checked = 0;
        int worst = 0;
        for (JsonNode c : root.get("cases")) {
            RgbImage src = ImageFiles.read(dir.resolve(c.get("source").asText()));
            int w = c.get("width").asInt();
            int h = c.get("height").asInt();
            RgbImage got = c.get("op").asText().equals("resize")
                    ? BicubicResampler.resize(src, w, h)
                    : ImageTransforms.resizeCenterCrop(src, w);
            assertEquals(w, got.width());
            assertEquals(h, got.height());
            JsonNode px = c.get("pixels");
            assertEquals(px.size(), got.rgb().length);
            for (int i = 0; i < px.size(); i++) {
                int diff = Math.abs(px.get(i).asInt() - (got.rgb()[i] & 0xff));
                worst = Math.max(worst, diff);
            }
            assertEquals(MAX_DIFF, worst, c.get("op").asText() + " " + c.get("source").asText() + " to " + w + "x" + h);
            checked++;
        }
        assertEquals(16, checked);
    }

    @Test
    void cubicKernelIsKeysWithAMinusHalf() {
        assertEquals(1.0, BicubicResampler.cubic(0), 0);
        assertEquals(0.0, BicubicResampler.cubic(1), 0);
        assertEquals(0.5625, BicubicResampler.cubic(0.5), 1e-15);
        assertEquals(-0.0625, BicubicResampler.cubic(1.5), 1e-15);
        assertEquals(0.0, BicubicResampler.cubic(2.0), 0);
    }
}
