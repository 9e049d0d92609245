"""Files the simulator writes: placeholder images, previews, videos, save paths and assets."""
