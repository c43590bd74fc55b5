@echo off
setlocal EnableExtensions DisableDelayedExpansion
rem Saved in GBK with CRLF. cmd decodes each line in the console's code page as it reads it:
rem switch to 936 (GBK) before the first Chinese line, so the texts read right on a Windows
rem set to another code page too; the previous page is restored before every exit.
for /f "tokens=2 delims=:." %%C in ('chcp') do set /a "OLDCP=%%C" >nul 2>nul
chcp 936 >nul
rem 部门整体支出绩效自评 @VERSION@：离线安装（不需要网络，不需要管理员权限）。
title 部门整体支出绩效自评 @VERSION@ 安装
set "KIT=%~dp0"
set "TARGET=%LOCALAPPDATA%\Programs\selfeval"
set "VENV=%TARGET%\venv"
rem 只用本安装包中的文件：不读本机的 pip 设置，不连网络。
set "PIP_CONFIG_FILE=nul"
set "PIP_DISABLE_PIP_VERSION_CHECK=1"
set "PIP_NO_INDEX=1"

echo.
echo   部门整体支出绩效自评 @VERSION@  离线安装
echo   不需要网络，不需要管理员权限。程序将安装到：
echo   %TARGET%
echo.

if not exist "%KIT%wheels\" goto :not_unpacked

call :find_python
if defined PYEXE goto :have_python
set "INSTALLER="
for %%F in ("%KIT%python-3.1*-amd64.exe") do set "INSTALLER=%%~fF"
if not defined INSTALLER goto :no_python
echo 本机没有可用的 Python，正在用安装包中的 Python 安装程序安装（仅为当前用户）……
echo %INSTALLER%
"%INSTALLER%" /passive InstallAllUsers=0 Include_launcher=1 InstallLauncherAllUsers=0 PrependPath=0 Shortcuts=0 Include_doc=0 Include_test=0
call :find_python
if defined PYEXE goto :have_python

:no_python
echo 本机没有 Python 3.11、3.12 或 3.13（64 位）。
echo 请先安装 Python：使用本安装包文件夹中的 python-3.x.x-amd64.exe（如有），
echo 或从 https://www.python.org/downloads/windows/ 下载 Windows installer (64-bit)，
echo 然后再次运行“安装.bat”。
goto :failed

:not_unpacked
echo 找不到 wheels 文件夹。请先把整个压缩包解压到一个文件夹，
echo 再运行解压出来的“安装.bat”。
goto :failed

:have_python
echo 使用的 Python：%PYEXE%
echo 正在建立程序环境……
"%PYEXE%" -m venv --clear "%VENV%"
if errorlevel 1 goto :failed
echo 正在安装程序及其依赖（离线，约需一两分钟）……
"%VENV%\Scripts\python.exe" -m pip install --no-index --find-links "%KIT%wheels" --no-warn-script-location selfeval==@VERSION@
if errorlevel 1 goto :failed
copy /y "%KIT%卸载.bat" "%TARGET%\卸载.bat" >nul
copy /y "%KIT%tools\shortcuts.py" "%TARGET%\shortcuts.py" >nul
copy /y "%KIT%tools\selfeval.ico" "%TARGET%\selfeval.ico" >nul
echo 正在创建桌面快捷方式和“开始”菜单项……
"%VENV%\Scripts\python.exe" "%TARGET%\shortcuts.py" create "%TARGET%"
if errorlevel 1 echo 快捷方式没有建好。可以直接运行：%VENV%\Scripts\selfeval-gui.exe
"%VENV%\Scripts\selfeval.exe" --version
echo.
echo 安装完成。桌面和“开始”菜单中已有“部门整体支出绩效自评”。
echo 填写的数据保存在 %APPDATA%\selfeval（卸载或重新安装都不会删除）。
echo.
pause
if defined OLDCP chcp %OLDCP% >nul
exit /b 0

:failed
echo.
echo 安装没有完成。请把本窗口的内容拍照或截图，交给单位的信息化管理人员。
echo.
pause
if defined OLDCP chcp %OLDCP% >nul
exit /b 1

rem 找一个合用的 Python（3.11–3.13，64 位），路径放在 PYEXE 中。
:find_python
set "PYEXE="
call :try py -3.13-64
call :try py -3.12-64
call :try py -3.11-64
call :try "%LOCALAPPDATA%\Programs\Python\Python313\python.exe"
call :try "%LOCALAPPDATA%\Programs\Python\Python312\python.exe"
call :try "%LOCALAPPDATA%\Programs\Python\Python311\python.exe"
call :try "%ProgramFiles%\Python313\python.exe"
call :try "%ProgramFiles%\Python312\python.exe"
call :try "%ProgramFiles%\Python311\python.exe"
call :try python
goto :eof

:try
if defined PYEXE goto :eof
rem "call" keeps cmd /c from stripping the quotes around a quoted program path.
for /f "usebackq delims=" %%P in (`call %* "%KIT%tools\check_python.py" 2^>nul`) do set "PYEXE=%%P"
goto :eof
