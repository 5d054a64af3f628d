# The newsdedup image: the official Airflow image of the tested version plus the project.
# Every Airflow service in docker-compose.yml runs this image, so the scheduler, the dag-processor
# and each Celery worker parse the same DAGs and run the same dedup code (the LSH fingerprint
# check in newsdedup.lshstore refuses a worker whose dedup settings differ anyway).
#   docker compose build && docker compose up -d && docker compose up -d --scale airflow-worker=4
FROM apache/airflow:3.3.2-python3.11

# The project lives in one folder (dags/, plugins/, sql/, config/): newsdedup.config finds the
# SQL migrations and the default sources file relative to the package, so keep the layout.
ENV NEWSDEDUP_HOME=/opt/newsdedup
WORKDIR /opt/newsdedup

# Dependencies first (pyproject only) so code edits do not re-run the install layer. Airflow is
# pinned to the image's own version: the project's range would otherwise let pip move it.
COPY --chown=airflow:0 pyproject.toml README.md ./
COPY --chown=airflow:0 plugins/newsdedup/__init__.py plugins/newsdedup/__init__.py
RUN pip install --no-cache-dir "apache-airflow==3.3.2" -e ".[scale]"

COPY --chown=airflow:0 dags ./dags
COPY --chown=airflow:0 plugins ./plugins
COPY --chown=airflow:0 sql ./sql
COPY --chown=airflow:0 config ./config

ENV AIRFLOW__CORE__DAGS_FOLDER=/opt/newsdedup/dags \
    AIRFLOW__CORE__PLUGINS_FOLDER=/opt/newsdedup/plugins \
    AIRFLOW__CORE__LOAD_EXAMPLES=False
WORKDIR /opt/airflow
