# One image for the three services (intake, visits, allowances), each run as an API and a worker,
# the operator console and the staff workbench.
#
#   API:    gunicorn --bind 0.0.0.0:8000 --workers 1 --threads 8 --graceful-timeout 10 --keep-alive 75 \
#               "services.<service>.entrypoints.app:create_app()"
#   worker: python -m services.<service>.entrypoints.worker
#   console and workbench: gunicorn ... "ops.entrypoints.app:create_app()", "portal.app:create_app()"
#
# docker-compose.yml runs one district with it; configuration comes from the environment
# (see shared/config.py).
# Pinned by digest: a rebuild gets the same base, whatever the tag points at by then.
FROM python:3.11.14-slim@sha256:c8271b1f627d0068857dce5b53e14a9558603b527e46f1f901722f935b786a39

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app

# Time-zone data for zoneinfo (ELDERCARE_TIMEZONE); Pango and the Noto CJK fonts, with which
# WeasyPrint prints the office's reports (PDF); nothing else from the distribution.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        tzdata libpango-1.0-0 libpangoft2-1.0-0 fontconfig fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Runtime dependencies only, every one pinned with its hashes (requirements.lock, compiled from
# requirements.txt): a changed or substituted package fails the build. Test and lint tools stay
# out of the image.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock

# The code belongs to root and is read-only for the user the services run as.
COPY shared/ ./shared/
COPY services/ ./services/
COPY ops/ ./ops/
COPY portal/ ./portal/

RUN groupadd --system --gid 10001 eldercare \
    && useradd --system --uid 10001 --gid eldercare --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin eldercare \
    && install -d -o eldercare -g eldercare /var/lib/eldercare-ops
USER eldercare:eldercare

# 8000: the API; 9100: a worker's Prometheus metrics (METRICS_PORT).
EXPOSE 8000 9100

# No default service: every container names its command (see docker-compose.yml).
CMD ["python", "-c", "raise SystemExit('Give a command: gunicorn ... services.<service>.entrypoints.app:create_app() or python -m services.<service>.entrypoints.worker')"]
