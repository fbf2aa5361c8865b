@echo off
rem run-local.cmd - Windows twin of run-local.sh: compiles the Java launcher (launcher/)
rem with javac when it has not been compiled yet, then hands over. Needs a JDK >= 17.
rem After changing launcher sources, delete .local\launcher to compile them again.
setlocal
set "CALLER_DIR=%CD%"
cd /d "%~dp0"
set "JAVA=java"
set "JAVAC=javac"
if defined JAVA_HOME (
    set "JAVA=%JAVA_HOME%\bin\java"
    set "JAVAC=%JAVA_HOME%\bin\javac"
)
set "CLASSES=.local\launcher\classes"
if not exist ".local\launcher\compiled" (
    if not exist "%CLASSES%" mkdir "%CLASSES%"
    dir /s /b launcher\src\main\java\*.java > .local\launcher\sources.txt
    "%JAVAC%" --release 17 -nowarn -d "%CLASSES%" @.local\launcher\sources.txt || (
        echo [run-local] ERROR: compiling the launcher failed ^(JDK ^>= 17 needed^) 1>&2
        exit /b 1
    )
    type nul > .local\launcher\compiled
)
"%JAVA%" -Xmx64m -XX:+UseSerialGC -cp "%CLASSES%" "-Dcloudref.repository=%CD%" "-Dcloudref.caller-dir=%CALLER_DIR%" dev.cloudref.launcher.RunLocal %*
exit /b %ERRORLEVEL%
