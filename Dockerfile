# storywatch for servers: the bot with its database on a volume.
#   docker build -t storywatch .
#   docker run -d -e TELEGRAM_BOT_TOKEN=... -v storywatch-data:/data \
#     -v $PWD/storywatch.toml:/config/storywatch.toml:ro -e STORYWATCH_CONFIG=/config/storywatch.toml \
#     storywatch
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STORYWATCH_DB=/data/storywatch.db

RUN useradd --create-home --uid 10001 storywatch \
    && mkdir /data \
    && chown storywatch:storywatch /data

WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY watchers ./watchers
COPY storage ./storage
RUN pip install --no-cache-dir "." && rm -rf /src

WORKDIR /data
USER storywatch
VOLUME ["/data"]
HEALTHCHECK --interval=60s --timeout=10s --start-period=120s CMD ["storywatch", "health"]
ENTRYPOINT ["storywatch"]
CMD ["run"]
